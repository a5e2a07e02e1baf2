// One tenant's view of the five services (each an ApiClient with the tenant's token), plus the few
// multi-step operations every story starts with (tenant, agents). Used by the e2e stories, `seedDemo`
// and the demo, so all three drive the product through its public HTTP APIs only.
import type { Role } from '@cc/platform';
import { ApiClient, isApiError, token, untilAccepted, type Claims } from './api-client';

export const SERVICE_NAMES = ['agent-directory', 'schedule', 'divert', 'callback-slots', 'call-router'] as const;
export type ServiceUrls = Record<(typeof SERVICE_NAMES)[number], string>;

/** The ports `npm start` uses. */
export const DEFAULT_URLS: ServiceUrls = {
  'agent-directory': 'http://127.0.0.1:3101',
  schedule: 'http://127.0.0.1:3102',
  divert: 'http://127.0.0.1:3103',
  'callback-slots': 'http://127.0.0.1:3104',
  'call-router': 'http://127.0.0.1:3105',
};

export type TenantSession = {
  tenantId: string;
  claims: Claims;
  directory: ApiClient;
  schedule: ApiClient;
  divert: ApiClient;
  slots: ApiClient;
  router: ApiClient;
  /** The same tenant with another token (a manager, an agent, a service). */
  as(role: Role, extra?: Omit<Claims, 'tenant' | 'role'>): Promise<TenantSession>;
};

export async function tenantSession(urls: ServiceUrls, claims: Claims): Promise<TenantSession> {
  const bearer = await token(claims);
  const client = (service: keyof ServiceUrls) => new ApiClient(urls[service], bearer);
  return {
    tenantId: claims.tenant,
    claims,
    directory: client('agent-directory'),
    schedule: client('schedule'),
    divert: client('divert'),
    slots: client('callback-slots'),
    router: client('call-router'),
    as: (role, extra = {}) => tenantSession(urls, { tenant: claims.tenant, role, ...extra }),
  };
}

// ------------------------------------------------------------------------------------------- tenants

export type TenantView = {
  tenantId: string;
  name: string;
  licence: { features: string[]; maxAgents: number };
  settings: { defaultTimezone: string; defaultCountry: string; extensionDigits: { min: number; max: number } };
};

/**
 * Registers a tenant as the platform operator; an existing one is kept (409: already there) and its
 * licence brought to `features`. Returns the OPERATOR session of the tenant.
 */
export async function ensureTenant(
  urls: ServiceUrls,
  tenantId: string,
  options: { name?: string; features?: ('callSlots' | 'campaigns')[]; maxAgents?: number; timezone?: string; country?: string } = {},
): Promise<{ session: TenantSession; tenant: TenantView; created: boolean }> {
  const operator = new ApiClient(urls['agent-directory'], await token({ tenant: tenantId, role: 'OPERATOR', sub: 'operator@platform' }));
  const licence = { features: options.features ?? ['callSlots'], maxAgents: options.maxAgents ?? 50 };
  let created = true;
  let tenant: TenantView;
  try {
    ({ tenant } = await operator.post<{ tenant: TenantView }>('/v1/tenants', {
      tenantId,
      name: options.name ?? tenantId,
      licence,
      settings: { defaultTimezone: options.timezone ?? 'Europe/London', defaultCountry: options.country ?? 'GB', extensionDigits: { min: 4, max: 4 } },
    }));
  } catch (error) {
    if (!isApiError(error, 409)) throw error;
    created = false;
    ({ tenant } = await operator.get<{ tenant: TenantView }>(`/v1/tenants/${tenantId}`));
    if (licence.features.some((f) => !tenant.licence.features.includes(f))) {
      ({ tenant } = await operator.put<{ tenant: TenantView }>(`/v1/tenants/${tenantId}/licence`, {
        features: [...new Set([...tenant.licence.features, ...licence.features])],
        maxAgents: Math.max(tenant.licence.maxAgents, licence.maxAgents),
      }));
    }
  }
  const session = await tenantSession(urls, { tenant: tenantId, role: 'OPERATOR', sub: 'operator@platform' });
  return { session, tenant, created };
}

// -------------------------------------------------------------------------------------------- agents

export type RingPreference =
  | { kind: 'simultaneous' }
  | { kind: 'extensionThenMobile'; mobileAfterSeconds?: number }
  | { kind: 'extensionOnly' }
  | { kind: 'mobileOnly' };
export type WorkingRange = { day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'; start: string; end: string };
export type AfterHoursPolicy =
  | { kind: 'voicemail' }
  | { kind: 'forwardExtension'; extension: string }
  | { kind: 'forwardNumber'; number: string }
  | { kind: 'followCallFlow' };

export type AgentInput = {
  name: string;
  extension: string;
  mobile?: string | null;
  email?: string | null;
  role?: 'AGENT' | 'MANAGER' | 'ADMIN';
  managerId?: string | null;
  ringPreference?: RingPreference;
  workingHours?: { mode: 'always' } | { mode: 'weekly'; timezone?: string; ranges: WorkingRange[] };
  afterHours?: AfterHoursPolicy;
};

export type AgentView = {
  agentId: string;
  name: string;
  extension: string;
  mobile: string | null;
  role: string;
  managerId: string | null;
  ringPreference: { kind: string; mobileAfterSeconds?: number };
  workingHours: { mode: string; timezone?: string; ranges?: WorkingRange[] };
  afterHours: { kind: string; extension?: string; e164?: string };
  status: string;
};

/** Registers an agent; an agent already on that extension is returned as it is (re-runs of a seed). */
export async function ensureAgent(session: TenantSession, input: AgentInput): Promise<{ agent: AgentView; created: boolean }> {
  const existing = await session.directory.get<{ items: AgentView[] }>('/v1/agents', { extension: input.extension });
  if (existing.items[0]) return { agent: existing.items[0], created: false };
  const { agent } = await session.directory.post<{ agent: AgentView }>('/v1/agents', input);
  return { agent, created: true };
}

/** The extension is known to the divert service (its replica of agent-directory caught up). */
export const divertKnows = (session: TenantSession, extension: string, timeoutMs?: number): Promise<unknown> =>
  untilAccepted(() => session.divert.get(`/v1/extensions/${extension}/diverts/effective`), (e) => isApiError(e, 404), timeoutMs);

/** callback-slots learned the tenant's callSlots licence (its replica of agent-directory caught up). */
export const callSlotsLicensed = (session: TenantSession, timeoutMs?: number): Promise<unknown> =>
  untilAccepted(() => session.slots.get('/v1/call-slots'), (e) => isApiError(e, 'CALLBACK_SLOTS.LICENCE_REQUIRED'), timeoutMs);
