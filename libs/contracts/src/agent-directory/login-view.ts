// Logins (who can sign in to the console/API), their privileges and call-slot profile (seed 003), and the
// effective permissions other services filter by. The privilege names are the ones @RequirePrivileges uses.
import { z } from 'zod';
import { AgentIdSchema, AgentRoleSchema } from './agent-view';
import { LicensableFeatureSchema, type LicensableFeature } from './tenant-view';

/**
 * Every privilege, `{resource}:{read|write}`. `write` does not imply `read`: grant both. Scope (own,
 * reportees, all) comes from the role, not from the privilege (see CallLogScope).
 */
export const PRIVILEGES = [
  'agents:read',
  'agents:write',
  'logins:read',
  'logins:write',
  'schedules:read',
  'schedules:write',
  'diverts:read',
  'diverts:write',
  'callFlows:read',
  'callFlows:write',
  'callSlots:read',
  'callSlots:write',
  'campaigns:read',
  'campaigns:write',
  'callLogs:read',
  'performance:read',
] as const;
export const PrivilegeSchema = z.enum(PRIVILEGES);
export type Privilege = z.infer<typeof PrivilegeSchema>;

/** Privileges that exist only while the tenant is licensed for a feature (seed 003: call slots are licensable). */
export const PRIVILEGE_LICENCE: { readonly [P in Privilege]?: LicensableFeature } = {
  'callSlots:read': 'callSlots',
  'callSlots:write': 'callSlots',
  'campaigns:read': 'campaigns',
  'campaigns:write': 'campaigns',
};

/** Login roles: the JWT roles of libs/platform a tenant's users can hold. ADMIN holds every (licensed) privilege. */
export const LoginRoleSchema = AgentRoleSchema;
export type LoginRole = z.infer<typeof LoginRoleSchema>;

/** Which of the tenant's call slots a login sees (seed 003 "Call Slots profile"): all, or only some. */
export const CallSlotProfileSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('subset'), callSlotIds: z.array(z.string().min(1).max(64)).max(1000) }),
]);
export type CallSlotProfile = z.infer<typeof CallSlotProfileSchema>;

/**
 * The login name, normalised to lower case: a username or an email address. It is the login's id (one
 * stream per name, so a name is unique per tenant by construction) and cannot be changed.
 * `~` is excluded so the stream id can escape `-` (see toLoginStreamId).
 */
export const LoginIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@+-]{0,127}$/, 'a login name: 1-128 of a-z, 0-9, ".", "_", "@", "+", "-", starting with a letter or digit');
export type LoginId = z.infer<typeof LoginIdSchema>;

export const LOGIN_STATUSES = ['active', 'disabled'] as const;
export const LoginStatusSchema = z.enum(LOGIN_STATUSES);
export type LoginStatus = z.infer<typeof LoginStatusSchema>;

export const LoginViewSchema = z.strictObject({
  loginId: LoginIdSchema,
  email: z.email().max(254).nullable(),
  role: LoginRoleSchema,
  /** Granted privileges, unique, in PRIVILEGES order (ADMIN: all of them). Licence gating is applied on read. */
  privileges: z.array(PrivilegeSchema),
  callSlotProfile: CallSlotProfileSchema,
  /** The agent this login acts as (own call logs, own diverts), or null for a pure administrator login. */
  agentId: AgentIdSchema.nullable(),
  status: LoginStatusSchema,
});
export type LoginView = z.infer<typeof LoginViewSchema>;

/**
 * Whose call logs and performance a login sees (seed 002): ADMIN all, MANAGER its reportees (transitively,
 * docs/decisions/0003) and itself, AGENT only itself. A disabled login sees nothing.
 */
export const CALL_LOG_SCOPES = ['all', 'reportees', 'own', 'none'] as const;
export const CallLogScopeSchema = z.enum(CALL_LOG_SCOPES);
export type CallLogScope = z.infer<typeof CallLogScopeSchema>;

/** What a login may do right now, licence gating applied: the claims agent-directory signs into a token. */
export const EffectivePermissionsSchema = z.strictObject({
  loginId: LoginIdSchema,
  active: z.boolean(),
  role: LoginRoleSchema,
  privileges: z.array(PrivilegeSchema),
  /** `{ kind: 'subset', callSlotIds: [] }` (no call slot) when the tenant is not licensed for call slots. */
  callSlotProfile: CallSlotProfileSchema,
  agentId: AgentIdSchema.nullable(),
  callLogScope: CallLogScopeSchema,
  licensedFeatures: z.array(LicensableFeatureSchema),
});
export type EffectivePermissions = z.infer<typeof EffectivePermissionsSchema>;

export const exampleLoginView: LoginView = {
  loginId: 'ada@acme.test',
  email: 'ada@acme.test',
  role: 'MANAGER',
  privileges: ['agents:read', 'callSlots:read', 'callLogs:read', 'performance:read'],
  callSlotProfile: { kind: 'subset', callSlotIds: ['sales-callbacks'] },
  agentId: '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a',
  status: 'active',
};
