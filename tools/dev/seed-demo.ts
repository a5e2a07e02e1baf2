// The demo tenant `npm start` sets up once every service is healthy (tools/dev/run-all.mjs), and that
// `npm run demo` creates afresh: a small company with a manager and two reportees, a rotating office
// schedule, a divert, a call slot for callbacks and a call flow for its main number. Everything goes
// through the public HTTP APIs with the platform operator's token. Running it again changes nothing:
// what exists already (409, an agent on the extension, an unchanged flow) is taken as done.
import { isApiError, untilAccepted, type ApiClient } from '../../libs/e2e/src/client/api-client';
import {
  DEFAULT_URLS,
  callSlotsLicensed,
  ensureAgent,
  ensureTenant,
  type AgentInput,
  type AgentView,
  type ServiceUrls,
  type TenantSession,
  type WorkingRange,
} from '../../libs/e2e/src/client/platform-client';
import { publishFlow, type CallFlowDefinitionInput } from '../../libs/e2e/src/client/routing';

export const DEMO_TENANT = 'demo';
/** The demo company's main number (an Ofcom drama-range Leeds number: never a real line). */
export const DEMO_NUMBER = '+441134960000';
export const DEMO_SCHEDULE = 'office-hours';
export const DEMO_CALL_SLOT = 'callbacks';
export const DEMO_ZONE = 'Europe/London';
/** Direct lines (DDIs) of the two reportees. */
export const DEMO_DIRECT_LINES = { sam: '+441134960002', alex: '+441134960003' } as const;

export type DemoTenant = {
  tenantId: string;
  number: string;
  directLines: typeof DEMO_DIRECT_LINES;
  scheduleId: string;
  callSlotId: string;
  agents: { maya: AgentView; sam: AgentView; alex: AgentView };
  /** The OPERATOR session of the tenant (all five services). */
  session: TenantSession;
};

export type SeedOptions = {
  log?: (line: string) => void;
  /** Default `demo`; the demo walk-through seeds a fresh one each run. */
  tenantId?: string;
  urls?: ServiceUrls;
  /** The rotation's first week is the week of this instant (default: now). */
  now?: Date;
};

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
/** How long to wait for one service to learn what another one wrote (replicas fed by JetStream). */
const REPLICA_WAIT_MS = 120_000;
/** Seed 002's example: 09:00-12:00, a lunch break, 13:00-17:00. */
export const SPLIT_SHIFT: WorkingRange[] = WEEKDAYS.flatMap((day) => [
  { day, start: '09:00', end: '12:00' },
  { day, start: '13:00', end: '17:00' },
]);

/** The Monday (YYYY-MM-DD) of the week of `now` in `zone`. */
export function mondayOf(now: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'));
  const local = Date.UTC(Number(get('year')), Number(get('month')) - 1, Number(get('day')));
  return new Date(local - weekday * 86_400_000).toISOString().slice(0, 10);
}

/** Creates, and treats 409 (already exists) as done. Returns whether it created. */
async function createOnce(client: ApiClient, path: string, body: unknown): Promise<boolean> {
  try {
    await client.post(path, body);
    return true;
  } catch (error) {
    if (isApiError(error, 409)) return false;
    throw error;
  }
}

export async function seedDemo(options: SeedOptions = {}): Promise<DemoTenant> {
  const log = options.log ?? (() => undefined);
  const urls = options.urls ?? DEFAULT_URLS;
  const tenantId = options.tenantId ?? DEMO_TENANT;
  const done = (what: string, created: boolean) => log(`${what}: ${created ? 'created' : 'already there'}`);

  // ------------------------------------------------------------------ tenant (call slots are licensed)
  const { session, created } = await ensureTenant(urls, tenantId, {
    name: 'Demo Ltd',
    features: ['callSlots'],
    maxAgents: 25,
    timezone: DEMO_ZONE,
    country: 'GB',
  });
  done(`tenant "${tenantId}" (licence: callSlots)`, created);

  // ------------------------------------------------------------------ agents: a manager, two reportees
  const agent = async (input: AgentInput): Promise<AgentView> => {
    const result = await ensureAgent(session, input);
    done(`agent ${input.name} (${input.role ?? 'AGENT'}, ext ${input.extension})`, result.created);
    return result.agent;
  };
  const hours = { mode: 'weekly' as const, timezone: DEMO_ZONE, ranges: SPLIT_SHIFT };
  const maya = await agent({
    name: 'Maya Patel',
    extension: '2001',
    mobile: '07911 123001',
    role: 'MANAGER',
    ringPreference: { kind: 'simultaneous' },
    workingHours: hours,
    afterHours: { kind: 'voicemail' },
  });
  const sam = await agent({
    name: 'Sam Lee',
    extension: '2002',
    mobile: '07911 123002',
    managerId: maya.agentId,
    ringPreference: { kind: 'extensionThenMobile', mobileAfterSeconds: 15 },
    workingHours: hours,
    afterHours: { kind: 'voicemail' },
  });
  const alex = await agent({
    name: 'Alex Kim',
    extension: '2003',
    mobile: '07911 123003',
    managerId: maya.agentId,
    ringPreference: { kind: 'extensionOnly' },
    workingHours: hours,
    afterHours: { kind: 'forwardNumber', number: '0113 496 0500' },
  });

  // ------------------------------------------------------------------ rotating schedule (seed 000)
  const scheduleCreated = await createOnce(session.schedule, '/v1/schedules', { scheduleId: DEMO_SCHEDULE, name: 'Office hours', timezone: DEMO_ZONE });
  done(`schedule "${DEMO_SCHEDULE}"`, scheduleCreated);
  const { schedule } = await session.schedule.get<{ schedule: { templates: { templateId: string }[]; rotation: unknown } }>(`/v1/schedules/${DEMO_SCHEDULE}`);
  const templates = [
    { templateId: 'week-a', name: 'Schedule 1 (early week)', ranges: WEEKDAYS.map((day) => ({ day, start: '08:00', end: '16:00' })) },
    { templateId: 'week-b', name: 'Schedule 2 (late week)', ranges: WEEKDAYS.map((day) => ({ day, start: '12:00', end: '20:00' })) },
  ];
  for (const template of templates) {
    const exists = schedule.templates.some((t) => t.templateId === template.templateId);
    if (!exists) await session.schedule.post(`/v1/schedules/${DEMO_SCHEDULE}/templates`, template);
    done(`  template ${template.name}`, !exists);
  }
  if (!schedule.rotation) {
    const anchorDate = mondayOf(options.now ?? new Date(), DEMO_ZONE);
    await session.schedule.put(`/v1/schedules/${DEMO_SCHEDULE}/rotation`, { anchorDate, firstTemplateId: 'week-a' });
    log(`  rotation: Schedule 1 in the week of ${anchorDate}, then Schedule 2, alternating`);
  }

  // ------------------------------------------------------------------ a divert (seed 001)
  // divert learns extensions from agent-directory's events (a JetStream consumer): a fresh tenant's may
  // take a moment, longer when the divert service is catching up with a long stream history.
  const divert = await untilAccepted(
    () => session.divert.put<{ changed: boolean }>('/v1/extensions/2003/diverts/busy', { target: { kind: 'extension', extension: '2002' }, reason: 'demo seed' }),
    (e) => isApiError(e, 'DIVERT.UNKNOWN_EXTENSION'),
    REPLICA_WAIT_MS,
  );
  done('divert: Alex (2003) busy -> Sam (2002)', divert.changed);

  // ------------------------------------------------------------------ a call slot (seed 003)
  await callSlotsLicensed(session, REPLICA_WAIT_MS);
  // The grid as explicit time slots (what `time-slots:generate` stores): Mon-Fri 09:00-17:00 every 30 min.
  const timeSlots = WEEKDAYS.flatMap((weekday) =>
    Array.from({ length: 16 }, (_, i) => {
      const minutes = 9 * 60 + i * 30;
      const start = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      return { weekday, start, lengthMinutes: 30, capacity: 3 };
    }),
  );
  const slotCreated = await createOnce(session.slots, '/v1/call-slots', { callSlotId: DEMO_CALL_SLOT, name: 'Callbacks', zone: DEMO_ZONE, timeSlots });
  done(`call slot "${DEMO_CALL_SLOT}" (Mon-Fri 09:00-17:00 every 30 min, 3 callbacks each)`, slotCreated);

  // ------------------------------------------------------------------ the main number's call flow
  for (const flow of [demoCallFlow({ maya, sam, alex }), directLine(DEMO_DIRECT_LINES.sam, sam), directLine(DEMO_DIRECT_LINES.alex, alex)]) {
    const published = await publishFlow(session, flow);
    done(`call flow "${flow.name}" for ${flow.number} (version ${published.version})`, (published as { changed?: boolean }).changed !== false);
  }

  return { tenantId, number: DEMO_NUMBER, directLines: DEMO_DIRECT_LINES, scheduleId: DEMO_SCHEDULE, callSlotId: DEMO_CALL_SLOT, agents: { maya, sam, alex }, session };
}

/** Open: a menu (1 sales: Maya and Sam together; 2 support: Alex). Closed, or nobody answers: a callback, else voicemail. */
export function demoCallFlow(agents: { maya: AgentView; sam: AgentView; alex: AgentView }): CallFlowDefinitionInput {
  const tts = (text: string) => ({ kind: 'tts' as const, text, language: 'en-GB' });
  return {
    number: DEMO_NUMBER,
    name: 'Demo Ltd main line',
    start: 'hours',
    nodes: {
      hours: { type: 'schedule', scheduleId: DEMO_SCHEDULE, branches: { open: 'welcome', closed: 'callback' } },
      welcome: {
        type: 'menu',
        prompt: tts('Welcome to Demo Limited. Press 1 for sales, 2 for support.'),
        options: { '1': 'sales', '2': 'support' },
        timeoutSeconds: 5,
        invalidRetries: 2,
        default: 'sales',
      },
      sales: { type: 'ringGroup', agentIds: [agents.maya.agentId, agents.sam.agentId], strategy: 'simultaneous', memberRingSeconds: 20, onNoAnswer: 'callback' },
      support: { type: 'ringAgent', agentId: agents.alex.agentId, onNoAnswer: 'callback' },
      callback: { type: 'offerCallback', callSlotId: DEMO_CALL_SLOT, fallback: 'voicemail' },
      voicemail: { type: 'voicemail', mailbox: { kind: 'group', mailboxId: 'demo-main' }, greeting: tts('Please leave a message after the tone.') },
    },
  };
}

/** An agent's direct line: ring them (their ring preference, hours and diverts apply), else their voicemail. */
export function directLine(number: string, agent: AgentView): CallFlowDefinitionInput {
  return {
    number,
    name: `${agent.name} direct line`,
    start: 'agent',
    nodes: {
      agent: { type: 'ringAgent', agentId: agent.agentId, onNoAnswer: 'voicemail' },
      voicemail: { type: 'voicemail', mailbox: { kind: 'agent', agentId: agent.agentId } },
    },
  };
}
