// Stream ids of agent-directory, `{aggregate}-{tenant}-{id}`. Tenant ids may contain `-`, so every id part
// is shaped to make the split unambiguous: digits (extensions), a UUID (agents) or a login name with its
// `-` escaped to `~`. Two tenants can therefore never share a stream.
import { ExtensionSchema } from '../phone';
import { TenantIdSchema } from '../tenant';
import { AgentIdSchema } from './agent-view';
import { LoginIdSchema } from './login-view';

export const AGENT_DIRECTORY_STREAM_PREFIXES = {
  tenant: 'tenant',
  agent: 'agent',
  org: 'org',
  extensionClaim: 'extension',
  login: 'login',
  device: 'device',
} as const;

const tenant = (tenantId: string): string => TenantIdSchema.parse(tenantId);

/** The tenant's licence and settings: `tenant-acme`. */
export const toTenantStreamId = (tenantId: string): string => `${AGENT_DIRECTORY_STREAM_PREFIXES.tenant}-${tenant(tenantId)}`;

/** One agent's profile, extension, ring preference, hours and roster mirror: `agent-acme-{uuid}`. */
export const toAgentStreamId = (tenantId: string, agentId: string): string =>
  `${AGENT_DIRECTORY_STREAM_PREFIXES.agent}-${tenant(tenantId)}-${AgentIdSchema.parse(agentId)}`;

/** The tenant's roster (members, roles, reporting lines): one stream so cycle checks see every line. `org-acme`. */
export const toOrgStreamId = (tenantId: string): string => `${AGENT_DIRECTORY_STREAM_PREFIXES.org}-${tenant(tenantId)}`;

/** Who holds an extension number: `extension-acme-2001`. Claiming = appending at the revision read. */
export const toExtensionClaimStreamId = (tenantId: string, extension: string): string =>
  `${AGENT_DIRECTORY_STREAM_PREFIXES.extensionClaim}-${tenant(tenantId)}-${ExtensionSchema.parse(extension)}`;

/** One login: `login-acme-ada.l~smith@acme.test` for `ada.l-smith@acme.test` (`-` escaped as `~`). */
export const toLoginStreamId = (tenantId: string, loginId: string): string =>
  `${AGENT_DIRECTORY_STREAM_PREFIXES.login}-${tenant(tenantId)}-${LoginIdSchema.parse(loginId).replace(/-/g, '~')}`;

/** Device state of one extension, as reported by the SIP edge: `device-acme-2001`. */
export const toDeviceStreamId = (tenantId: string, extension: string): string =>
  `${AGENT_DIRECTORY_STREAM_PREFIXES.device}-${tenant(tenantId)}-${ExtensionSchema.parse(extension)}`;
