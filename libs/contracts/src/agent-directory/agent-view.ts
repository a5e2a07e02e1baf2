// An agent as every replica sees it (router, divert, call-router call logs): each agent event carries
// this whole view, so a consumer does `replica.set(agentId, data.agent)` and never asks back.
import { z } from 'zod';
import { E164Schema, ExtensionSchema, RawPhoneNumberSchema } from '../phone';

/**
 * Agent ids are UUIDs chosen by the adapter, read in lower case; their fixed shape keeps
 * `agent-{tenant}-{id}` unambiguous.
 */
export const AgentIdSchema = z.uuid().toLowerCase();
export type AgentId = z.infer<typeof AgentIdSchema>;

/**
 * Roles of an agent in the organisation (seed 002: Agent and Manager; Admin runs the tenant). Spelled
 * like the JWT roles of libs/platform so a login's token role and an agent's role compare directly.
 */
export const AGENT_ROLES = ['AGENT', 'MANAGER', 'ADMIN'] as const;
export const AgentRoleSchema = z.enum(AGENT_ROLES);
export type AgentRole = z.infer<typeof AgentRoleSchema>;
/** Roles that may be someone's reporting manager. */
export const MANAGING_ROLES: readonly AgentRole[] = ['MANAGER', 'ADMIN'];

/** `disabled`: kept (extension reserved, seat counted) but never rung; `removed`: gone for good. */
export const AGENT_STATUSES = ['active', 'disabled', 'removed'] as const;
export const AgentStatusSchema = z.enum(AGENT_STATUSES);
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

/** Ring time on the extension before the mobile joins in `extensionThenMobile`. */
export const MOBILE_AFTER_SECONDS_MIN = 5;
export const MOBILE_AFTER_SECONDS_MAX = 120;
export const MOBILE_AFTER_SECONDS_DEFAULT = 20;

/**
 * Incoming-call preference, exactly the four of seed 002:
 * - `simultaneous`: extension and mobile ring together;
 * - `extensionThenMobile`: the extension rings alone for `mobileAfterSeconds`, then the mobile rings;
 * - `extensionOnly`: never the mobile;
 * - `mobileOnly`: never the extension.
 * All but `extensionOnly` need a mobile number.
 */
export const RingPreferenceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('simultaneous') }),
  z.strictObject({
    kind: z.literal('extensionThenMobile'),
    mobileAfterSeconds: z.number().int().min(MOBILE_AFTER_SECONDS_MIN).max(MOBILE_AFTER_SECONDS_MAX),
  }),
  z.strictObject({ kind: z.literal('extensionOnly') }),
  z.strictObject({ kind: z.literal('mobileOnly') }),
]);
export type RingPreference = z.infer<typeof RingPreferenceSchema>;
export type RingPreferenceKind = RingPreference['kind'];

/**
 * As an operator sends it: `mobileAfterSeconds` may be left out (default 20 s) and is a plain integer so
 * the decider refuses an out-of-range value with its own code (AGENT_DIRECTORY.RING_DELAY_OUT_OF_RANGE).
 */
export const RingPreferenceInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('simultaneous') }),
  z.strictObject({ kind: z.literal('extensionThenMobile'), mobileAfterSeconds: z.number().int().optional() }),
  z.strictObject({ kind: z.literal('extensionOnly') }),
  z.strictObject({ kind: z.literal('mobileOnly') }),
]);
export type RingPreferenceInput = z.infer<typeof RingPreferenceInputSchema>;

/** True for the preferences that ring the mobile (and so need one). */
export const ringsMobile = (preference: Pick<RingPreference, 'kind'>): boolean => preference.kind !== 'extensionOnly';

export const WORKING_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * One working-hours range in the agent's local wall-clock time; the same shape as `WeeklyRange` of
 * @cc/scheduling (which evaluates it, DST-correct). `end <= start` crosses midnight; `end` may be `24:00`.
 * Overlaps and `start == end` are refused by the agent decider, not here.
 */
export const WorkingRangeSchema = z.strictObject({
  day: z.enum(WORKING_DAYS),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm between 00:00 and 23:59'),
  end: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:mm between 00:00 and 24:00'),
});
export type WorkingRange = z.infer<typeof WorkingRangeSchema>;

/** Ranges per agent: seven days of a handful of split shifts is far below this. */
export const MAX_WORKING_RANGES = 100;

/**
 * When an agent takes calls. `always`: no hours configured, always working (the default of a new
 * agent). `weekly`: only inside `ranges` (seed 002: "any time outside these intervals is off hours"),
 * evaluated in `timezone`; an empty list means never working (every call gets the after-hours policy).
 */
export const WorkingHoursSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('always') }),
  z.strictObject({
    mode: z.literal('weekly'),
    timezone: z.string().min(1).max(64),
    ranges: z.array(WorkingRangeSchema).max(MAX_WORKING_RANGES),
  }),
]);
export type WorkingHours = z.infer<typeof WorkingHoursSchema>;

/** As sent: a weekly `timezone` left out means the tenant's default zone. */
export const WorkingHoursInputSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('always') }),
  z.strictObject({
    mode: z.literal('weekly'),
    timezone: z.string().min(1).max(64).optional(),
    ranges: z.array(WorkingRangeSchema).max(MAX_WORKING_RANGES),
  }),
]);
export type WorkingHoursInput = z.infer<typeof WorkingHoursInputSchema>;

/**
 * What happens to a call for the agent outside working hours:
 * - `voicemail`: the agent's voicemail;
 * - `forwardExtension`: ring another extension instead;
 * - `forwardNumber`: forward to an outside number (E.164);
 * - `followCallFlow`: the agent counts as unavailable and the call flow takes its own fallback (default).
 */
export const AfterHoursPolicySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('voicemail') }),
  z.strictObject({ kind: z.literal('forwardExtension'), extension: ExtensionSchema }),
  z.strictObject({ kind: z.literal('forwardNumber'), e164: E164Schema }),
  z.strictObject({ kind: z.literal('followCallFlow') }),
]);
export type AfterHoursPolicy = z.infer<typeof AfterHoursPolicySchema>;

/** As sent: `number` is what the operator typed (`441234567890`); stored normalised as `e164`. */
export const AfterHoursPolicyInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('voicemail') }),
  z.strictObject({ kind: z.literal('forwardExtension'), extension: ExtensionSchema }),
  z.strictObject({ kind: z.literal('forwardNumber'), number: RawPhoneNumberSchema }),
  z.strictObject({ kind: z.literal('followCallFlow') }),
]);
export type AfterHoursPolicyInput = z.infer<typeof AfterHoursPolicyInputSchema>;

export const AgentNameSchema = z.string().trim().min(1).max(120);
export const AgentEmailSchema = z.email().max(254);

export const AgentViewSchema = z.strictObject({
  agentId: AgentIdSchema,
  name: AgentNameSchema,
  email: AgentEmailSchema.nullable(),
  /** E.164, normalised with the tenant's default country; null when the agent has no mobile. */
  mobile: E164Schema.nullable(),
  extension: ExtensionSchema,
  ringPreference: RingPreferenceSchema,
  workingHours: WorkingHoursSchema,
  afterHours: AfterHoursPolicySchema,
  role: AgentRoleSchema,
  /** The agent's reporting manager (an agent with a MANAGING_ROLES role), or null. */
  managerId: AgentIdSchema.nullable(),
  status: AgentStatusSchema,
});
export type AgentView = z.infer<typeof AgentViewSchema>;

export const exampleAgentView: AgentView = {
  agentId: '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a',
  name: 'Ada Lovelace',
  email: 'ada@acme.test',
  mobile: '+447911123456',
  extension: '2001',
  ringPreference: { kind: 'extensionThenMobile', mobileAfterSeconds: 20 },
  workingHours: {
    mode: 'weekly',
    timezone: 'Europe/London',
    ranges: [
      { day: 'mon', start: '09:00', end: '12:00' },
      { day: 'mon', start: '13:00', end: '17:00' },
    ],
  },
  afterHours: { kind: 'voicemail' },
  role: 'AGENT',
  managerId: '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a',
  status: 'active',
};
