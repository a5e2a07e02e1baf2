// Requests and replies of the agent-directory API. The same payload schemas validate HTTP bodies and query
// strings (path params merged in) and NATS request-reply messages (`agent-directory.{verb}`, wrapped with
// tenant and actor). Numbers and booleans are coerced so a query string parses like JSON.
import { z } from 'zod';
import { ExtensionSchema, RawPhoneNumberSchema } from '../phone';
import { rpcSubject } from '../subjects';
import { TenantIdSchema } from '../tenant';
import {
  AfterHoursPolicyInputSchema,
  AgentEmailSchema,
  AgentIdSchema,
  AgentNameSchema,
  AgentRoleSchema,
  AgentStatusSchema,
  AgentViewSchema,
  RingPreferenceInputSchema,
  WorkingHoursInputSchema,
  WorkingRangeSchema,
  exampleAgentView,
} from './agent-view';
import { DeviceStateReportSchema, DeviceStateSchema, exampleDeviceState } from './device-state';
import {
  CallSlotProfileSchema,
  EffectivePermissionsSchema,
  LoginIdSchema,
  LoginRoleSchema,
  LoginStatusSchema,
  LoginViewSchema,
  PrivilegeSchema,
  exampleLoginView,
} from './login-view';
import {
  DEFAULT_EXTENSION_DIGITS,
  ExtensionDigitsSchema,
  LicensableFeatureSchema,
  TenantSettingsSchema,
  TenantViewSchema,
  exampleTenantView,
} from './tenant-view';

const IsoInstantSchema = z.iso.datetime({ offset: true });
const BooleanParamSchema = z.union([z.boolean(), z.stringbool()]);
const RevisionSchema = z.number().int().min(0);
const ReasonSchema = z.string().trim().min(1).max(500);

const atLeastOneField = (value: Record<string, unknown>): boolean => Object.values(value).some((v) => v !== undefined);

// ---------------------------------------------------------------------------------------------- tenant

/**
 * `POST /tenants` (OPERATOR): register a tenant. Operators manage tenants named in the path
 * (`/tenants/{tenantId}/...`); everyone else reaches only the tenant of their token (`/tenant`).
 */
export const RegisterTenantRequestSchema = z.strictObject({
  tenantId: TenantIdSchema,
  name: z.string().trim().min(1).max(200),
  licence: z.strictObject({
    features: z.array(LicensableFeatureSchema).default([]),
    maxAgents: z.coerce.number().int(),
  }),
  settings: z.strictObject({
    extensionDigits: ExtensionDigitsSchema.default({ ...DEFAULT_EXTENSION_DIGITS }),
    defaultTimezone: TenantSettingsSchema.shape.defaultTimezone,
    defaultCountry: TenantSettingsSchema.shape.defaultCountry,
  }),
});
export type RegisterTenantRequest = z.infer<typeof RegisterTenantRequestSchema>;

/** `PUT /tenants/{tenantId}/licence` (OPERATOR): replace the licence. Lowering maxAgents never removes agents. */
export const ChangeTenantLicenceRequestSchema = z.strictObject({
  features: z.array(LicensableFeatureSchema),
  maxAgents: z.coerce.number().int(),
});
export type ChangeTenantLicenceRequest = z.infer<typeof ChangeTenantLicenceRequestSchema>;

/**
 * `PATCH /tenant/settings` (ADMIN of the token's tenant) or `PATCH /tenants/{tenantId}/settings` (OPERATOR):
 * change some settings; fields left out stay.
 */
export const ChangeTenantSettingsRequestSchema = TenantSettingsSchema.partial().refine(atLeastOneField, {
  message: 'change at least one setting',
});
export type ChangeTenantSettingsRequest = z.infer<typeof ChangeTenantSettingsRequestSchema>;

export const TenantResponseSchema = z.strictObject({ tenant: TenantViewSchema, revision: RevisionSchema });
export type TenantResponse = z.infer<typeof TenantResponseSchema>;

/** `GET /tenants/{tenantId}` (OPERATOR). */
export const GetTenantRequestSchema = z.strictObject({ tenantId: TenantIdSchema });
export type GetTenantRequest = z.infer<typeof GetTenantRequestSchema>;

/** `GET /tenants?limit=&cursor=` (OPERATOR): every tenant, by tenant id. */
export const ListTenantsRequestSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque, from the previous page's `nextCursor`. */
  cursor: z.string().min(1).max(500).optional(),
});
export type ListTenantsRequest = z.infer<typeof ListTenantsRequestSchema>;

export const ListTenantsResponseSchema = z.strictObject({ items: z.array(TenantViewSchema), nextCursor: z.string().nullable() });
export type ListTenantsResponse = z.infer<typeof ListTenantsResponseSchema>;

// ----------------------------------------------------------------------------------------------- agent

/**
 * `POST /agents`: register an agent. Left out: no email/mobile, ring `extensionOnly`, hours `always`,
 * after hours `followCallFlow`, role AGENT, no manager. `promoteManager: true` lets `managerId` name an
 * agent of role AGENT, who is promoted to MANAGER in the same roster change.
 */
export const RegisterAgentRequestSchema = z.strictObject({
  name: AgentNameSchema,
  email: AgentEmailSchema.nullable().optional(),
  mobile: RawPhoneNumberSchema.nullable().optional(),
  extension: ExtensionSchema,
  ringPreference: RingPreferenceInputSchema.optional(),
  workingHours: WorkingHoursInputSchema.optional(),
  afterHours: AfterHoursPolicyInputSchema.optional(),
  role: AgentRoleSchema.default('AGENT'),
  managerId: AgentIdSchema.nullable().optional(),
  promoteManager: BooleanParamSchema.default(false),
});
export type RegisterAgentRequest = z.infer<typeof RegisterAgentRequestSchema>;

/** `PATCH /agents/{agentId}`: name, email, mobile; `null` clears email or mobile, a field left out stays. */
export const ChangeAgentProfileRequestSchema = z
  .strictObject({
    name: AgentNameSchema.optional(),
    email: AgentEmailSchema.nullable().optional(),
    mobile: RawPhoneNumberSchema.nullable().optional(),
  })
  .refine(atLeastOneField, { message: 'change at least one of name, email, mobile' });
export type ChangeAgentProfileRequest = z.infer<typeof ChangeAgentProfileRequestSchema>;

/** `PUT /agents/{agentId}/extension` */
export const ChangeAgentExtensionRequestSchema = z.strictObject({ extension: ExtensionSchema });
export type ChangeAgentExtensionRequest = z.infer<typeof ChangeAgentExtensionRequestSchema>;

/** `PUT /agents/{agentId}/ring-preference` */
export const SetRingPreferenceRequestSchema = z.strictObject({ ringPreference: RingPreferenceInputSchema });
export type SetRingPreferenceRequest = z.infer<typeof SetRingPreferenceRequestSchema>;

/** `PUT /agents/{agentId}/working-hours`: replaces all ranges (overlapping ranges are refused, not merged). */
export const SetWorkingHoursRequestSchema = z.strictObject({ workingHours: WorkingHoursInputSchema });
export type SetWorkingHoursRequest = z.infer<typeof SetWorkingHoursRequestSchema>;

/** `PUT /agents/{agentId}/after-hours` */
export const SetAfterHoursPolicyRequestSchema = z.strictObject({ afterHours: AfterHoursPolicyInputSchema });
export type SetAfterHoursPolicyRequest = z.infer<typeof SetAfterHoursPolicyRequestSchema>;

/** `PUT /agents/{agentId}/role`. Demoting a manager who still has reportees is refused (HAS_REPORTEES). */
export const ChangeAgentRoleRequestSchema = z.strictObject({ role: AgentRoleSchema });
export type ChangeAgentRoleRequest = z.infer<typeof ChangeAgentRoleRequestSchema>;

/** `PUT /agents/{agentId}/manager`: `managerId: null` clears the reporting line. */
export const SetReportingManagerRequestSchema = z.strictObject({
  managerId: AgentIdSchema.nullable(),
  promoteManager: BooleanParamSchema.default(false),
});
export type SetReportingManagerRequest = z.infer<typeof SetReportingManagerRequestSchema>;

/** `POST /agents/{agentId}/disable` (enable and `DELETE /agents/{agentId}` take no body). */
export const DisableAgentRequestSchema = z.strictObject({ reason: ReasonSchema.optional() });
export type DisableAgentRequest = z.infer<typeof DisableAgentRequestSchema>;

export const GetAgentRequestSchema = z.strictObject({ agentId: AgentIdSchema });
export type GetAgentRequest = z.infer<typeof GetAgentRequestSchema>;

/** One agent and the revision of its stream (send it back as `If-Match` to edit optimistically). */
export const AgentResponseSchema = z.strictObject({ agent: AgentViewSchema, revision: RevisionSchema });
export type AgentResponse = z.infer<typeof AgentResponseSchema>;

export const LIST_AGENTS_MAX_LIMIT = 200;

/**
 * `GET /agents?extension=&managerId=&name=&role=&status=&limit=&cursor=`. `name` matches a
 * case-insensitive substring; `managerId` lists direct reportees (see `reportees` for transitive).
 * Without `status`, removed agents are left out. Sorted by name (case-insensitive), then agent id.
 */
export const ListAgentsRequestSchema = z.strictObject({
  extension: ExtensionSchema.optional(),
  managerId: AgentIdSchema.optional(),
  name: z.string().trim().min(1).max(120).optional(),
  role: AgentRoleSchema.optional(),
  status: AgentStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(LIST_AGENTS_MAX_LIMIT).default(50),
  /** Opaque, from the previous page's `nextCursor`. */
  cursor: z.string().min(1).max(500).optional(),
});
export type ListAgentsRequest = z.infer<typeof ListAgentsRequestSchema>;

export const ListAgentsResponseSchema = z.strictObject({
  items: z.array(AgentViewSchema),
  nextCursor: z.string().nullable(),
});
export type ListAgentsResponse = z.infer<typeof ListAgentsResponseSchema>;

/** `GET /agents/{agentId}/working?at=`: is the agent working at `at` (default: now), and until when. */
export const IsWorkingRequestSchema = z.strictObject({ agentId: AgentIdSchema, at: IsoInstantSchema.optional() });
export type IsWorkingRequest = z.infer<typeof IsWorkingRequestSchema>;

/**
 * Why the answer is what it is:
 * - `alwaysWorking`: hours mode `always`;
 * - `insideRange` / `outsideRanges`: weekly hours, `range` is the one containing `at`;
 * - `disabled` / `removed`: the agent takes no calls whatever the hours.
 */
export const WORKING_REASONS = ['alwaysWorking', 'insideRange', 'outsideRanges', 'disabled', 'removed'] as const;
export const WorkingReasonSchema = z.enum(WORKING_REASONS);
export type WorkingReason = z.infer<typeof WorkingReasonSchema>;

export const IsWorkingResponseSchema = z.strictObject({
  agentId: AgentIdSchema,
  at: IsoInstantSchema,
  working: z.boolean(),
  reason: WorkingReasonSchema,
  range: WorkingRangeSchema.nullable(),
  /** The next instant `working` flips by the hours; null if it never does (always, none, or disabled). */
  nextChange: IsoInstantSchema.nullable(),
  /** The zone the hours were evaluated in; null for `always`. */
  timezone: z.string().nullable(),
});
export type IsWorkingResponse = z.infer<typeof IsWorkingResponseSchema>;

/** `GET /agents/{managerId}/reportees?transitive=`: who reports to the manager (transitively by default). */
export const ReporteesRequestSchema = z.strictObject({
  managerId: AgentIdSchema,
  transitive: BooleanParamSchema.default(true),
});
export type ReporteesRequest = z.infer<typeof ReporteesRequestSchema>;

export const ReporteeSchema = z.strictObject({
  agentId: AgentIdSchema,
  /** Whom this reportee reports to directly (the manager, or a reportee of theirs). */
  managerId: AgentIdSchema,
  /** 1 for direct reportees, 2 for theirs, ... */
  depth: z.number().int().min(1),
});
export type Reportee = z.infer<typeof ReporteeSchema>;

export const ReporteesResponseSchema = z.strictObject({
  managerId: AgentIdSchema,
  transitive: z.boolean(),
  /** Breadth first (depth 1 first), then by agent id. */
  reportees: z.array(ReporteeSchema),
});
export type ReporteesResponse = z.infer<typeof ReporteesResponseSchema>;

// ----------------------------------------------------------------------------------------------- login

/** `POST /logins`. Privileges left out: the role's defaults. Call-slot profile left out: all call slots. */
export const CreateLoginRequestSchema = z.strictObject({
  loginId: LoginIdSchema,
  email: z.email().max(254).nullable().optional(),
  role: LoginRoleSchema,
  privileges: z.array(PrivilegeSchema).optional(),
  callSlotProfile: CallSlotProfileSchema.optional(),
  agentId: AgentIdSchema.nullable().optional(),
});
export type CreateLoginRequest = z.infer<typeof CreateLoginRequestSchema>;

/** `PUT /logins/{loginId}/role`. Privileges left out: reset to the new role's defaults. */
export const ChangeLoginRoleRequestSchema = z.strictObject({
  role: LoginRoleSchema,
  privileges: z.array(PrivilegeSchema).optional(),
});
export type ChangeLoginRoleRequest = z.infer<typeof ChangeLoginRoleRequestSchema>;

/** `PUT /logins/{loginId}/privileges`: replace the privilege list (not for ADMIN logins). */
export const ChangeLoginPrivilegesRequestSchema = z.strictObject({ privileges: z.array(PrivilegeSchema) });
export type ChangeLoginPrivilegesRequest = z.infer<typeof ChangeLoginPrivilegesRequestSchema>;

/** `PUT /logins/{loginId}/call-slot-profile` (needs the callSlots licence). */
export const AssignCallSlotProfileRequestSchema = z.strictObject({ callSlotProfile: CallSlotProfileSchema });
export type AssignCallSlotProfileRequest = z.infer<typeof AssignCallSlotProfileRequestSchema>;

export const LoginResponseSchema = z.strictObject({ login: LoginViewSchema, revision: RevisionSchema });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** `GET /logins?role=&agentId=&status=&limit=&cursor=`: the tenant's logins, by login id. */
export const ListLoginsRequestSchema = z.strictObject({
  role: LoginRoleSchema.optional(),
  agentId: AgentIdSchema.optional(),
  status: LoginStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque, from the previous page's `nextCursor`. */
  cursor: z.string().min(1).max(500).optional(),
});
export type ListLoginsRequest = z.infer<typeof ListLoginsRequestSchema>;

export const ListLoginsResponseSchema = z.strictObject({ items: z.array(LoginViewSchema), nextCursor: z.string().nullable() });
export type ListLoginsResponse = z.infer<typeof ListLoginsResponseSchema>;

export const GetLoginRequestSchema = z.strictObject({ loginId: LoginIdSchema });
export type GetLoginRequest = z.infer<typeof GetLoginRequestSchema>;

/** `GET /logins/{loginId}/permissions`: what the login may do now, licence gating applied. */
export const EffectivePermissionsRequestSchema = z.strictObject({ loginId: LoginIdSchema });
export type EffectivePermissionsRequest = z.infer<typeof EffectivePermissionsRequestSchema>;

// ---------------------------------------------------------------------------------------------- device

/** Reply to a device-state report: the state after it, and whether it changed anything (stale reports do not). */
export const DeviceStateReportResultSchema = z.strictObject({ device: DeviceStateSchema, changed: z.boolean() });
export type DeviceStateReportResult = z.infer<typeof DeviceStateReportResultSchema>;

export const GetDeviceStateRequestSchema = z.strictObject({ extension: ExtensionSchema });
export type GetDeviceStateRequest = z.infer<typeof GetDeviceStateRequestSchema>;

// ------------------------------------------------------------------------------------------------ rpc

/**
 * A NATS request to agent-directory: the payload plus who asks for which tenant (HTTP takes both from the
 * JWT instead). The reply is an `RpcReply<response>` (`{ ok }` or `{ error: Problem }`).
 */
export const agentDirectoryRpcRequestOf = <T extends z.ZodType>(payload: T) =>
  z.strictObject({ tenantId: TenantIdSchema, actor: z.string().min(1), payload });

type AgentDirectoryRpcDefinition<Req extends z.ZodType, Res extends z.ZodType> = {
  readonly subject: string;
  readonly request: Req;
  readonly response: Res;
  readonly description: string;
  readonly example: { request: z.input<Req>; response: z.input<Res> };
};

function agentDirectoryRpc<Req extends z.ZodType, Res extends z.ZodType>(
  verb: string,
  def: Omit<AgentDirectoryRpcDefinition<Req, Res>, 'subject'>,
): AgentDirectoryRpcDefinition<Req, Res> {
  // As with defineEvent: a contract whose example does not parse fails at import time.
  for (const [part, schema] of [
    ['request', def.request],
    ['response', def.response],
  ] as const) {
    const parsed = schema.safeParse(def.example[part]);
    if (!parsed.success) {
      throw new Error(`example ${part} of agent-directory.${verb} does not match its schema: ${parsed.error.message}`);
    }
  }
  return { ...def, subject: rpcSubject('agent-directory', verb) };
}

const asService = { tenantId: 'acme', actor: 'service:call-router' } as const;

/** Request-reply endpoints of agent-directory on NATS: subject, request and reply schema, example. */
export const AgentDirectoryRpc = {
  getTenant: agentDirectoryRpc('get-tenant', {
    description: "The tenant's licence and settings.",
    request: agentDirectoryRpcRequestOf(z.strictObject({})),
    response: TenantResponseSchema,
    example: { request: { ...asService, payload: {} }, response: { tenant: exampleTenantView, revision: 2 } },
  }),
  getAgent: agentDirectoryRpc('get-agent', {
    description: 'One agent.',
    request: agentDirectoryRpcRequestOf(GetAgentRequestSchema),
    response: AgentResponseSchema,
    example: {
      request: { ...asService, payload: { agentId: exampleAgentView.agentId } },
      response: { agent: exampleAgentView, revision: 4 },
    },
  }),
  listAgents: agentDirectoryRpc('list-agents', {
    description: 'Agents filtered by extension, manager, name, role or status; one page.',
    request: agentDirectoryRpcRequestOf(ListAgentsRequestSchema),
    response: ListAgentsResponseSchema,
    example: {
      request: { ...asService, payload: { extension: '2001', limit: 10 } },
      response: { items: [exampleAgentView], nextCursor: null },
    },
  }),
  isWorking: agentDirectoryRpc('is-working', {
    description: 'Is the agent working at an instant (its hours in its zone, DST-correct), and when that next changes.',
    request: agentDirectoryRpcRequestOf(IsWorkingRequestSchema),
    response: IsWorkingResponseSchema,
    example: {
      request: { ...asService, payload: { agentId: exampleAgentView.agentId, at: '2026-11-23T10:00:00Z' } },
      response: {
        agentId: exampleAgentView.agentId,
        at: '2026-11-23T10:00:00.000Z',
        working: true,
        reason: 'insideRange',
        range: { day: 'mon', start: '09:00', end: '12:00' },
        nextChange: '2026-11-23T12:00:00.000Z',
        timezone: 'Europe/London',
      },
    },
  }),
  reportees: agentDirectoryRpc('reportees', {
    description: "The manager's reportees, direct or transitive (docs/decisions/0003).",
    request: agentDirectoryRpcRequestOf(ReporteesRequestSchema),
    response: ReporteesResponseSchema,
    example: {
      request: { ...asService, payload: { managerId: '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a', transitive: true } },
      response: {
        managerId: '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a',
        transitive: true,
        reportees: [{ agentId: exampleAgentView.agentId, managerId: '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a', depth: 1 }],
      },
    },
  }),
  effectivePermissions: agentDirectoryRpc('effective-permissions', {
    description: "A login's privileges, call-slot profile and call-log scope now, licence gating applied.",
    request: agentDirectoryRpcRequestOf(EffectivePermissionsRequestSchema),
    response: EffectivePermissionsSchema,
    example: {
      request: { ...asService, payload: { loginId: exampleLoginView.loginId } },
      response: {
        loginId: exampleLoginView.loginId,
        active: true,
        role: 'MANAGER',
        privileges: ['agents:read', 'callSlots:read', 'callLogs:read', 'performance:read'],
        callSlotProfile: { kind: 'subset', callSlotIds: ['sales-callbacks'] },
        agentId: exampleAgentView.agentId,
        callLogScope: 'reportees',
        licensedFeatures: ['callSlots'],
      },
    },
  }),
  reportDeviceState: agentDirectoryRpc('report-device-state', {
    description: 'The SIP edge reports that a device registered/unregistered or went on a call/idle.',
    request: agentDirectoryRpcRequestOf(DeviceStateReportSchema),
    response: DeviceStateReportResultSchema,
    example: {
      request: {
        tenantId: 'acme',
        actor: 'service:sip-edge',
        payload: { extension: '2001', activity: 'onCall', observedAt: '2026-11-23T09:00:00.000Z' },
      },
      response: { device: exampleDeviceState, changed: true },
    },
  }),
  getDeviceState: agentDirectoryRpc('get-device-state', {
    description: "The last known state of an extension's device.",
    request: agentDirectoryRpcRequestOf(GetDeviceStateRequestSchema),
    response: DeviceStateSchema,
    example: { request: { ...asService, payload: { extension: '2001' } }, response: exampleDeviceState },
  }),
} as const;
