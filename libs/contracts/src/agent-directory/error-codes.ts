// agent-directory's stable error codes and the kind (HTTP status) each always maps to, so clients and
// the adapters match on one constant instead of retyping strings.
import type { ErrorKind } from '../domain-error';

export const AGENT_DIRECTORY_ERRORS = {
  /** No tenant registered under the token's tenant id. */
  TENANT_NOT_FOUND: { code: 'AGENT_DIRECTORY.TENANT_NOT_FOUND', kind: 'not_found' },
  /** RegisterTenant for a tenant id that is already registered. */
  TENANT_EXISTS: { code: 'AGENT_DIRECTORY.TENANT_EXISTS', kind: 'conflict' },
  /** Licence or settings break their own rules (unknown zone, min > max, campaigns without callSlots). Field paths. */
  INVALID_TENANT_SETTINGS: { code: 'AGENT_DIRECTORY.INVALID_TENANT_SETTINGS', kind: 'validation' },
  /** The tenant is not licensed for a feature. details: `{ licence }`. */
  LICENCE_REQUIRED: { code: 'AGENT_DIRECTORY.LICENCE_REQUIRED', kind: 'forbidden' },
  /** Registering one more agent would exceed the licence's maxAgents. details: `{ maxAgents, agents }`. */
  AGENT_LIMIT_REACHED: { code: 'AGENT_DIRECTORY.AGENT_LIMIT_REACHED', kind: 'forbidden' },

  AGENT_NOT_FOUND: { code: 'AGENT_DIRECTORY.AGENT_NOT_FOUND', kind: 'not_found' },
  AGENT_EXISTS: { code: 'AGENT_DIRECTORY.AGENT_EXISTS', kind: 'conflict' },
  /** The agent was removed; a removed agent takes no further commands. */
  AGENT_REMOVED: { code: 'AGENT_DIRECTORY.AGENT_REMOVED', kind: 'gone' },
  /** Extension not digits or outside the tenant's extensionDigits. Path `extension`. */
  INVALID_EXTENSION: { code: 'AGENT_DIRECTORY.INVALID_EXTENSION', kind: 'validation' },
  /** Another agent holds the extension. Path `extension`; details `{ extension, heldBy }`. */
  EXTENSION_TAKEN: { code: 'AGENT_DIRECTORY.EXTENSION_TAKEN', kind: 'conflict' },
  /** Release of an extension claim by an agent that does not hold it. details `{ extension, heldBy }`. */
  EXTENSION_CLAIM_NOT_HELD: { code: 'AGENT_DIRECTORY.EXTENSION_CLAIM_NOT_HELD', kind: 'conflict' },
  /** Mobile or after-hours number is not a phone number, invalid or ambiguous. Path `mobile` / `afterHours.number`. */
  INVALID_NUMBER: { code: 'AGENT_DIRECTORY.INVALID_NUMBER', kind: 'validation' },
  /** A valid number of a class we never ring (premium rate: toll fraud). */
  NUMBER_NOT_ALLOWED: { code: 'AGENT_DIRECTORY.NUMBER_NOT_ALLOWED', kind: 'validation' },
  /** The ring preference rings the mobile but the agent has none (path `ringPreference.kind`), or the mobile is being removed while the preference needs it (path `mobile`). */
  MOBILE_REQUIRED: { code: 'AGENT_DIRECTORY.MOBILE_REQUIRED', kind: 'conflict' },
  /** extensionThenMobile delay outside MOBILE_AFTER_SECONDS_MIN..MAX. Path `ringPreference.mobileAfterSeconds`. */
  RING_DELAY_OUT_OF_RANGE: { code: 'AGENT_DIRECTORY.RING_DELAY_OUT_OF_RANGE', kind: 'validation' },
  /** Malformed or overlapping working-hours ranges (path `workingHours.ranges[i]`), or an unknown zone (`workingHours.timezone`). */
  INVALID_WORKING_HOURS: { code: 'AGENT_DIRECTORY.INVALID_WORKING_HOURS', kind: 'validation' },
  /** After-hours forwarding to the agent's own extension. Path `afterHours.extension` (or `extension` when the agent moves onto it). */
  AFTER_HOURS_TARGET_IS_SELF: { code: 'AGENT_DIRECTORY.AFTER_HOURS_TARGET_IS_SELF', kind: 'validation' },

  /** The manager named by `managerId` is not a member of the tenant. Path `managerId`. */
  MANAGER_NOT_FOUND: { code: 'AGENT_DIRECTORY.MANAGER_NOT_FOUND', kind: 'validation' },
  /** The manager has role AGENT and promotion was not asked for. Path `managerId`; details `{ managerId, role }`. */
  MANAGER_ROLE_REQUIRED: { code: 'AGENT_DIRECTORY.MANAGER_ROLE_REQUIRED', kind: 'conflict' },
  /** The reporting line would close a cycle. Path `managerId`; details `{ chain }` (agent, its manager, ..., agent). */
  REPORTING_CYCLE: { code: 'AGENT_DIRECTORY.REPORTING_CYCLE', kind: 'conflict' },
  /** Removing or demoting an agent that still has direct reportees. details `{ reportees }`. */
  HAS_REPORTEES: { code: 'AGENT_DIRECTORY.HAS_REPORTEES', kind: 'conflict' },

  LOGIN_NOT_FOUND: { code: 'AGENT_DIRECTORY.LOGIN_NOT_FOUND', kind: 'not_found' },
  LOGIN_EXISTS: { code: 'AGENT_DIRECTORY.LOGIN_EXISTS', kind: 'conflict' },
  /** An ADMIN login always holds every privilege; its list cannot be edited. Path `privileges`. */
  ADMIN_PRIVILEGES_FIXED: { code: 'AGENT_DIRECTORY.ADMIN_PRIVILEGES_FIXED', kind: 'validation' },
  /** The login is linked to an agent that does not exist or was removed. Path `agentId`. */
  LINKED_AGENT_NOT_FOUND: { code: 'AGENT_DIRECTORY.LINKED_AGENT_NOT_FOUND', kind: 'validation' },
} as const satisfies Record<string, { code: `AGENT_DIRECTORY.${string}`; kind: ErrorKind }>;

export type AgentDirectoryErrorCode = (typeof AGENT_DIRECTORY_ERRORS)[keyof typeof AGENT_DIRECTORY_ERRORS]['code'];
