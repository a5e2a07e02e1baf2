// What a call slot IS, as stored and carried in events: its weekly time slots (weekday, local start,
// length, capacity) and its offer/dial settings. Also the looser input shapes operators send.
import { z } from 'zod';

/**
 * Weekday names, the same literals as `WEEKDAYS` of `@cc/scheduling` (contracts may not import a
 * domain lib; the callback-slots domain proves at compile time that both lists agree).
 */
export const TIME_SLOT_WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const TimeSlotWeekdaySchema = z.enum(TIME_SLOT_WEEKDAYS);
export type TimeSlotWeekday = z.infer<typeof TimeSlotWeekdaySchema>;

/** Ids that appear inside stream ids: one lower-case token, like a tenant id (a UUID fits). */
const idToken = (what: string) =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, `${what}: 1-63 chars of a-z, 0-9, "-" or "_", starting with a letter or digit`);

/** `support-uk`, or a UUID when the server chose it. */
export const CallSlotIdSchema = idToken('call slot id');
export type CallSlotId = z.infer<typeof CallSlotIdSchema>;
export const CampaignIdSchema = idToken('campaign id');
export const BookingIdSchema = z.uuid();
export const OfferSessionIdSchema = z.uuid();
/** The telephony side's call id (SIP Call-ID and the like): opaque to us. */
export const CallIdSchema = z.string().min(1).max(256);
/** Chosen by the client (campaign system) so a retried submit books once: printable ASCII, no spaces. */
export const IdempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,128}$/, 'idempotency key: 1-128 printable ASCII characters, no spaces');
/** The caller's CLI as the telephony side presents it; `null` when withheld. Not necessarily E.164. */
export const CallerCliSchema = z.string().trim().min(1).max(64).nullable();

/** An instant, always written in UTC with milliseconds (`2026-11-23T09:00:00.000Z`): stream ids are built from it. */
export const UtcInstantSchema = z.iso.datetime().refine((s) => new Date(s).toISOString() === s, {
  message: 'a UTC instant as "YYYY-MM-DDTHH:mm:ss.sssZ"',
});
/** An instant as clients may send it (any offset); the service converts it to `UtcInstantSchema`. */
export const IsoInstantSchema = z.iso.datetime({ offset: true });
/** A calendar date in the call slot's zone. */
export const LocalDateSchema = z.iso.date();
/** Local wall-clock start of a time slot, `HH:mm`, 00:00-23:59. */
export const ClockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a wall-clock time "HH:mm" (00:00-23:59)');
/** A local end, `HH:mm` or `24:00` (midnight at the end of the day). */
export const ClockEndTimeSchema = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a wall-clock time "HH:mm" (00:00-24:00)');

/**
 * Places per occurrence: 0 (listed, not bookable) up to this. Every booking command folds the
 * occurrence's stream, so the bound also bounds that work.
 */
export const CAPACITY_MAX = 1000;
/** Shortest time slot; also the finest grid step. */
export const TIME_SLOT_MIN_MINUTES = 5;
/** A whole week of 5-minute time slots. */
export const MAX_TIME_SLOTS = 2016;

/**
 * One weekly time slot: every `weekday`, from local `start` for `lengthMinutes` of wall-clock time,
 * with room for `capacity` callbacks. A time slot ends on its own day (at 24:00 at the latest).
 * How a local start maps to an instant across DST changes: docs/decisions/0002-dst-semantics.md.
 */
export const TimeSlotSchema = z.strictObject({
  weekday: TimeSlotWeekdaySchema,
  start: ClockTimeSchema,
  lengthMinutes: z.number().int().min(TIME_SLOT_MIN_MINUTES).max(1440),
  capacity: z.number().int().min(0).max(CAPACITY_MAX),
});
export type TimeSlot = z.infer<typeof TimeSlotSchema>;

/**
 * A time slot as an operator sends it. `capacity` is any integer here so that the decider refuses
 * a negative or huge one with its own code (CALLBACK_SLOTS.INVALID_CAPACITY) and field path.
 */
export const TimeSlotInputSchema = TimeSlotSchema.extend({ capacity: z.number().int() });
export type TimeSlotInput = z.infer<typeof TimeSlotInputSchema>;

/** A single DTMF key. */
export const DtmfKeySchema = z.string().regex(/^[0-9*#]$/, 'one DTMF key: 0-9, * or #');
export type DtmfKey = z.infer<typeof DtmfKeySchema>;

/** What a key does while a time slot is offered. */
export const OFFER_ACTIONS = ['choose', 'repeat', 'decline'] as const;
export type OfferAction = (typeof OFFER_ACTIONS)[number];

/**
 * The IVR's keys: `choose` / `repeat` / `decline` while a slot is offered (seed 003), and `confirm`,
 * which ends a callback-number entry, or alone accepts the caller's own number. All different.
 */
export const DtmfKeyMapSchema = z
  .strictObject({ choose: DtmfKeySchema, repeat: DtmfKeySchema, decline: DtmfKeySchema, confirm: DtmfKeySchema })
  .superRefine((keys, ctx) => {
    const seen = new Map<string, string>();
    for (const [action, key] of Object.entries(keys)) {
      const other = seen.get(key);
      if (other) ctx.addIssue({ code: 'custom', path: [action], message: `key "${key}" is already used for ${other}` });
      seen.set(key, action);
    }
  });
export type DtmfKeyMap = z.infer<typeof DtmfKeyMapSchema>;

/** Whom the dialer calls first when a callback is due (used by the callback dispatcher). */
export const DialOrderSchema = z.enum(['agent-first', 'customer-first']);
export type DialOrder = z.infer<typeof DialOrderSchema>;

/**
 * Retries of an unanswered callback (the dispatch issue uses it): up to `maxAttempts` calls, the
 * n-th retry `backoffSeconds * 2^(n-1)` after the previous one, never after the occurrence ends.
 */
export const RetryPolicySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(10),
  backoffSeconds: z.number().int().min(30).max(3600),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const SETTING_LIMITS = {
  offerWindowDays: { min: 1, max: 31 },
  offerHorizonDays: { min: 1, max: 31 },
  offerLimit: { min: 1, max: 100 },
  maxNumberReprompts: { min: 0, max: 9 },
  offerSessionTtlSeconds: { min: 30, max: 3600 },
} as const;

const limited = (key: keyof typeof SETTING_LIMITS) => z.number().int().min(SETTING_LIMITS[key].min).max(SETTING_LIMITS[key].max);

/** Settings of a call slot, all explicit once stored (so replicas never apply defaults of their own). */
export const CallSlotSettingsSchema = z
  .strictObject({
    /** Callbacks are offered only if a free time slot starts within this many days from the call (seed: six). */
    offerWindowDays: limited('offerWindowDays'),
    /** Time slots up to this many days ahead are offered one by one before the offer ends (seed: 7). */
    offerHorizonDays: limited('offerHorizonDays'),
    /** At most this many different time slots are offered in one call. */
    offerLimit: limited('offerLimit'),
    dialOrder: DialOrderSchema,
    dtmfKeys: DtmfKeyMapSchema,
    /** An invalid callback number is asked for again at most this many times, then the offer ends. */
    maxNumberReprompts: limited('maxNumberReprompts'),
    /** An offer session expires after this long without a step from the IVR. */
    offerSessionTtlSeconds: limited('offerSessionTtlSeconds'),
    retryPolicy: RetryPolicySchema,
  })
  .superRefine((s, ctx) => {
    if (s.offerHorizonDays < s.offerWindowDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['offerHorizonDays'],
        message: `the offer horizon (${s.offerHorizonDays} days) must not be shorter than the offer window (${s.offerWindowDays} days)`,
      });
    }
  });
export type CallSlotSettings = z.infer<typeof CallSlotSettingsSchema>;

export const DEFAULT_CALL_SLOT_SETTINGS: CallSlotSettings = {
  offerWindowDays: 6,
  offerHorizonDays: 7,
  offerLimit: 10,
  dialOrder: 'agent-first',
  dtmfKeys: { choose: '1', repeat: '2', decline: '3', confirm: '#' },
  maxNumberReprompts: 3,
  offerSessionTtlSeconds: 300,
  retryPolicy: { maxAttempts: 3, backoffSeconds: 300 },
};

/**
 * Settings as an operator sends them: any field may be left out. On create the gaps are filled from
 * `DEFAULT_CALL_SLOT_SETTINGS`, on update from the current settings; the decider then checks the
 * result against `CallSlotSettingsSchema` (CALLBACK_SLOTS.INVALID_SETTINGS with the field path).
 */
export const CallSlotSettingsPatchSchema = z.strictObject({
  offerWindowDays: z.number().int().optional(),
  offerHorizonDays: z.number().int().optional(),
  offerLimit: z.number().int().optional(),
  dialOrder: DialOrderSchema.optional(),
  dtmfKeys: z
    .strictObject({
      choose: DtmfKeySchema.optional(),
      repeat: DtmfKeySchema.optional(),
      decline: DtmfKeySchema.optional(),
      confirm: DtmfKeySchema.optional(),
    })
    .optional(),
  maxNumberReprompts: z.number().int().optional(),
  offerSessionTtlSeconds: z.number().int().optional(),
  retryPolicy: z
    .strictObject({ maxAttempts: z.number().int().optional(), backoffSeconds: z.number().int().optional() })
    .optional(),
});
export type CallSlotSettingsPatch = z.infer<typeof CallSlotSettingsPatchSchema>;

/**
 * A grid of equal time slots: every `everyMinutes` from `from` until `to` on each of `weekdays`,
 * each `everyMinutes` long with `capacity` places. A remainder shorter than one step before `to` is
 * left free. `replace-weekdays` drops the existing time slots of those weekdays first; `add` keeps
 * them (and is refused if the grid overlaps them). The result is stored as explicit time slots.
 */
export const TimeSlotGridSchema = z.strictObject({
  weekdays: z
    .array(TimeSlotWeekdaySchema)
    .min(1)
    .max(7)
    .refine((days) => new Set(days).size === days.length, { message: 'each weekday at most once' }),
  from: ClockTimeSchema,
  to: ClockEndTimeSchema,
  everyMinutes: z.number().int().min(TIME_SLOT_MIN_MINUTES).max(1440),
  capacity: z.number().int(),
  mode: z.enum(['replace-weekdays', 'add']),
});
export type TimeSlotGrid = z.infer<typeof TimeSlotGridSchema>;

/** The time slots of a call slot a replica needs, with the name for displays. */
export const CallSlotDefinitionSchema = z.strictObject({
  callSlotId: CallSlotIdSchema,
  name: z.string().trim().min(1).max(120),
  /** IANA zone the time slots' wall-clock times are in (`Europe/London`). */
  zone: z.string().min(1).max(64),
  /** Sorted by weekday, then start; never overlapping within a weekday. */
  timeSlots: z.array(TimeSlotSchema).max(MAX_TIME_SLOTS),
  settings: CallSlotSettingsSchema,
});
export type CallSlotDefinition = z.infer<typeof CallSlotDefinitionSchema>;

export const exampleCallSlotDefinition: CallSlotDefinition = {
  callSlotId: 'support-uk',
  name: 'UK support callbacks',
  zone: 'Europe/London',
  timeSlots: [
    { weekday: 'mon', start: '09:00', lengthMinutes: 30, capacity: 5 },
    { weekday: 'mon', start: '09:30', lengthMinutes: 30, capacity: 5 },
    { weekday: 'tue', start: '14:00', lengthMinutes: 60, capacity: 2 },
  ],
  settings: DEFAULT_CALL_SLOT_SETTINGS,
};
