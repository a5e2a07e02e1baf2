// Events of the schedule service. Every event carries the COMPLETE resulting schedule (event-carried
// state transfer): the router's replica does `replica.set(scheduleId, data.schedule)` (and drops it on
// ScheduleDeleted) and never asks back. The other fields say what changed, for audit logs and UIs.
import { z } from 'zod';
import type { EventEnvelope } from '../envelope';
import { defineEvent, type DataOf } from '../event-definition';
import {
  EmergencyOverrideSchema,
  ExceptionIdSchema,
  ScheduleDefinitionSchema,
  ScheduleExceptionSchema,
  ScheduleModeSchema,
  ScheduleNameSchema,
  ScheduleRotationSchema,
  ScheduleTemplateSchema,
  TemplateIdSchema,
  ScheduleTimezoneSchema,
  WeeklyRangeSchema,
  WeeklyRangesSchema,
  exampleScheduleDefinition as schedule,
} from './schedule-definition';

const service = 'schedule' as const;
const withSchedule = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ ...shape, schedule: ScheduleDefinitionSchema });
const [weekA, weekB] = schedule.templates as [(typeof schedule.templates)[number], (typeof schedule.templates)[number]];

export const ScheduleCreatedEvent = defineEvent({
  service,
  type: 'ScheduleCreated',
  version: 1,
  description: 'A schedule was created (name, zone, mode; no templates yet).',
  schema: withSchedule({}),
  example: { schedule: { ...schedule, templates: [], rotation: null, exceptions: [] } },
});

export const ScheduleRenamedEvent = defineEvent({
  service,
  type: 'ScheduleRenamed',
  version: 1,
  description: 'The schedule was renamed.',
  schema: withSchedule({ name: ScheduleNameSchema, previousName: ScheduleNameSchema }),
  example: { name: 'Main line', previousName: 'Reception', schedule },
});

export const ScheduleTimezoneChangedEvent = defineEvent({
  service,
  type: 'ScheduleTimezoneChanged',
  version: 1,
  description: 'The zone the rules are read in changed (wall-clock rules stay the same; their instants move).',
  schema: withSchedule({ timezone: ScheduleTimezoneSchema, previousTimezone: ScheduleTimezoneSchema }),
  example: { timezone: 'Europe/London', previousTimezone: 'Europe/Dublin', schedule },
});

export const ScheduleModeSetEvent = defineEvent({
  service,
  type: 'ScheduleModeSet',
  version: 1,
  description: "Mode switched between '24/7' and 'custom'. 24/7 overrides the templates and rotation without deleting them.",
  schema: withSchedule({ mode: ScheduleModeSchema, previousMode: ScheduleModeSchema }),
  example: { mode: 'custom', previousMode: '24/7', schedule },
});

export const ScheduleTemplateAddedEvent = defineEvent({
  service,
  type: 'ScheduleTemplateAdded',
  version: 1,
  description: 'A weekly template was added (last in rotation order).',
  schema: withSchedule({ template: ScheduleTemplateSchema }),
  example: { template: weekB, schedule },
});

export const ScheduleTemplateRenamedEvent = defineEvent({
  service,
  type: 'ScheduleTemplateRenamed',
  version: 1,
  description: 'A template was renamed.',
  schema: withSchedule({ templateId: TemplateIdSchema, name: ScheduleNameSchema, previousName: ScheduleNameSchema }),
  example: { templateId: 'week-a', name: 'Schedule 1', previousName: 'Week one', schedule },
});

export const ScheduleTemplateRangesSetEvent = defineEvent({
  service,
  type: 'ScheduleTemplateRangesSet',
  version: 1,
  description: "A template's time slots were replaced (edit rules); `ranges` sorted Monday first.",
  schema: withSchedule({ templateId: TemplateIdSchema, ranges: WeeklyRangesSchema }),
  example: { templateId: 'week-a', ranges: weekA.ranges, schedule },
});

export const ScheduleTimeSlotAddedEvent = defineEvent({
  service,
  type: 'ScheduleTimeSlotAdded',
  version: 1,
  description: 'One time slot was added to a template.',
  schema: withSchedule({ templateId: TemplateIdSchema, range: WeeklyRangeSchema }),
  example: { templateId: 'week-a', range: { day: 'fri', start: '09:00', end: '12:30' }, schedule },
});

export const ScheduleTimeSlotRemovedEvent = defineEvent({
  service,
  type: 'ScheduleTimeSlotRemoved',
  version: 1,
  description: 'One time slot was removed from a template (the "X" next to a slot).',
  schema: withSchedule({ templateId: TemplateIdSchema, range: WeeklyRangeSchema }),
  example: { templateId: 'week-a', range: { day: 'wed', start: '09:00', end: '17:00' }, schedule },
});

export const ScheduleTemplateDeletedEvent = defineEvent({
  service,
  type: 'ScheduleTemplateDeleted',
  version: 1,
  description:
    'A template was deleted. With rotation active the rotation is re-anchored at this local week so the template in effect stays ' +
    '(or, when the deleted one was in effect and deletion was forced, its successor takes over); `rotation` is the result.',
  schema: withSchedule({
    templateId: TemplateIdSchema,
    rotationBefore: ScheduleRotationSchema.nullable(),
    rotation: ScheduleRotationSchema.nullable(),
    /** True if the rotation's anchor or first template changed. */
    reanchored: z.boolean(),
    /** The template in effect from now on (custom mode), null if none. */
    templateInEffect: TemplateIdSchema.nullable(),
    forced: z.boolean(),
  }),
  example: {
    templateId: 'week-c',
    rotationBefore: { active: true, anchorDate: '2025-11-03', firstTemplateId: 'week-a' },
    rotation: { active: true, anchorDate: '2026-01-05', firstTemplateId: 'week-a' },
    reanchored: true,
    templateInEffect: 'week-a',
    forced: false,
    schedule,
  },
});

export const ScheduleRotationActivatedEvent = defineEvent({
  service,
  type: 'ScheduleRotationActivated',
  version: 1,
  description: 'Week-by-week rotation was switched on: the week containing anchorDate uses firstTemplateId, then template order.',
  schema: withSchedule({ rotation: ScheduleRotationSchema }),
  example: { rotation: { active: true, anchorDate: '2026-01-05', firstTemplateId: 'week-a' }, schedule },
});

export const ScheduleRotationDeactivatedEvent = defineEvent({
  service,
  type: 'ScheduleRotationDeactivated',
  version: 1,
  description: 'Rotation was switched off; the template in effect when it was switched off applies every week.',
  schema: withSchedule({ rotation: ScheduleRotationSchema, templateInEffect: TemplateIdSchema }),
  example: {
    rotation: { active: false, anchorDate: '2026-01-05', firstTemplateId: 'week-b' },
    templateInEffect: 'week-b',
    schedule: { ...schedule, rotation: { active: false, anchorDate: '2026-01-05', firstTemplateId: 'week-b' } },
  },
});

export const ScheduleExceptionAddedEvent = defineEvent({
  service,
  type: 'ScheduleExceptionAdded',
  version: 1,
  description: 'An exception (holiday, one-off closure or opening, recurring) was added.',
  schema: withSchedule({ exception: ScheduleExceptionSchema }),
  example: { exception: schedule.exceptions[0]!, schedule },
});

export const ScheduleExceptionRemovedEvent = defineEvent({
  service,
  type: 'ScheduleExceptionRemoved',
  version: 1,
  description: 'An exception was removed.',
  schema: withSchedule({ exceptionId: ExceptionIdSchema }),
  example: { exceptionId: 'summer-party', schedule },
});

export const ScheduleExceptionsImportedEvent = defineEvent({
  service,
  type: 'ScheduleExceptionsImported',
  version: 1,
  description: 'A list of exceptions (e.g. a parsed holiday calendar) was merged in: new ids added, known ids replaced.',
  schema: withSchedule({ added: z.array(ExceptionIdSchema), replaced: z.array(ExceptionIdSchema), source: z.string().max(200).nullable() }),
  example: { added: ['xmas'], replaced: [], source: 'uk-bank-holidays.ics', schedule },
});

export const ScheduleEmergencyOverrideSetEvent = defineEvent({
  service,
  type: 'ScheduleEmergencyOverrideSet',
  version: 1,
  description: 'An emergency override (open or closed) now beats every rule until it expires or is cleared.',
  schema: withSchedule({ emergency: EmergencyOverrideSchema }),
  example: {
    emergency: { state: 'closed', reason: 'Fire alarm', by: 'user:ops@acme.test', at: '2026-01-06T10:00:00.000Z', expiresAt: '2026-01-06T12:00:00.000Z' },
    schedule: {
      ...schedule,
      emergency: { state: 'closed', reason: 'Fire alarm', by: 'user:ops@acme.test', at: '2026-01-06T10:00:00.000Z', expiresAt: '2026-01-06T12:00:00.000Z' },
    },
  },
});

export const ScheduleEmergencyOverrideClearedEvent = defineEvent({
  service,
  type: 'ScheduleEmergencyOverrideCleared',
  version: 1,
  description: 'The emergency override was cleared; the rules decide again.',
  schema: withSchedule({ previous: EmergencyOverrideSchema }),
  example: {
    previous: { state: 'closed', reason: 'Fire alarm', by: 'user:ops@acme.test', at: '2026-01-06T10:00:00.000Z', expiresAt: null },
    schedule,
  },
});

export const ScheduleDeletedEvent = defineEvent({
  service,
  type: 'ScheduleDeleted',
  version: 1,
  description: 'The schedule was deleted (carries its last definition); replicas drop it, call flows using it fall back.',
  schema: withSchedule({}),
  example: { schedule },
});

/** Every schedule event definition (AsyncAPI generation, consumers' schema lookup). */
export const SCHEDULE_EVENTS = [
  ScheduleCreatedEvent,
  ScheduleRenamedEvent,
  ScheduleTimezoneChangedEvent,
  ScheduleModeSetEvent,
  ScheduleTemplateAddedEvent,
  ScheduleTemplateRenamedEvent,
  ScheduleTemplateRangesSetEvent,
  ScheduleTimeSlotAddedEvent,
  ScheduleTimeSlotRemovedEvent,
  ScheduleTemplateDeletedEvent,
  ScheduleRotationActivatedEvent,
  ScheduleRotationDeactivatedEvent,
  ScheduleExceptionAddedEvent,
  ScheduleExceptionRemovedEvent,
  ScheduleExceptionsImportedEvent,
  ScheduleEmergencyOverrideSetEvent,
  ScheduleEmergencyOverrideClearedEvent,
  ScheduleDeletedEvent,
] as const;

type EventOfDefinition<D> = D extends { type: infer T; schema: infer S extends z.ZodType } ? { type: T; data: z.infer<S> } : never;

/** A schedule event as the decider emits it and `evolve` reads it (a stored envelope is assignable). */
export type ScheduleEvent = EventOfDefinition<(typeof SCHEDULE_EVENTS)[number]>;
export type ScheduleEventType = ScheduleEvent['type'];
/** The data of one event type: `ScheduleEventData<'ScheduleRenamed'>`. */
export type ScheduleEventData<T extends ScheduleEventType> = Extract<ScheduleEvent, { type: T }>['data'];
export type ScheduleCreatedData = DataOf<typeof ScheduleCreatedEvent>;

/** A stored / published schedule event. */
export type ScheduleEventEnvelope = { [K in ScheduleEvent as K['type']]: EventEnvelope<K['type'], K['data']> }[ScheduleEventType];

export const ScheduleEventTypeSchema = z.enum(SCHEDULE_EVENTS.map((d) => d.type) as [ScheduleEventType, ...ScheduleEventType[]]);

/**
 * Validates a received message as a schedule event (consumer side: the router's replica). Throws on an
 * unknown type or version or data that breaks the schema, so the consumer can dead-letter it.
 */
export function parseScheduleEvent(message: { type: string; version: number; data: unknown }): ScheduleEvent {
  const def = SCHEDULE_EVENTS.find((d) => d.type === message.type);
  if (!def) throw new Error(`not a schedule event type: "${message.type}"`);
  if (def.version !== message.version) throw new Error(`${message.type} v${message.version} is not supported (known: v${def.version})`);
  return { type: def.type, data: def.schema.parse(message.data) } as ScheduleEvent;
}
