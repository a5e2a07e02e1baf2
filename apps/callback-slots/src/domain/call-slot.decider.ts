// The call slot aggregate (`callslot-{tenant}-{id}`): its definition (zone, weekly time slots with
// capacities, offer settings) and closed dates. Pure decide/evolve; bookings live in occurrence streams.
import {
  CallSlotSettingsSchema,
  CAPACITY_MAX,
  DEFAULT_CALL_SLOT_SETTINGS,
  MAX_TIME_SLOTS,
  type CallSlotDefinition,
  type CallSlotEvent,
  type CallSlotSettings,
  type CallSlotSettingsPatch,
  type Decider,
  type FieldError,
  type TimeSlot,
  type TimeSlotGrid,
  type TimeSlotInput,
  CALL_SLOT_FIELDS,
} from '@cc/contracts';
import { formatClockTime, formatLocalDate, isoWeekdayOf, MINUTES_PER_DAY, normalizeZone, parseClockTime, parseLocalDate, compareLocalDates } from '@cc/scheduling';
import { callbackSlotsError } from './callback-slots-error';
import { localDateOf, type CallSlotSchedule } from './occurrences';
import { generateTimeSlotGrid } from './time-slot-grid';

// ---------------------------------------------------------------- state

export type ActiveCallSlot = CallSlotSchedule & {
  readonly status: 'Active';
  readonly definition: CallSlotDefinition;
};

export type CallSlotState =
  | { readonly status: 'Empty' }
  | ActiveCallSlot
  /** Kept so the id is never reused and the last definition can still be read (existing bookings). */
  | (CallSlotSchedule & { readonly status: 'Deleted'; readonly definition: CallSlotDefinition });

export const initialCallSlotState = (): CallSlotState => ({ status: 'Empty' });

// ---------------------------------------------------------------- commands

type DefinitionInput = {
  callSlotId: string;
  name: string;
  zone: string;
  timeSlots: readonly TimeSlotInput[];
  /** Left-out fields: the defaults on create, the current values on update. */
  settings?: CallSlotSettingsPatch;
};

export type CreateCallSlot = { type: 'CreateCallSlot' } & DefinitionInput;
export type UpdateCallSlot = { type: 'UpdateCallSlot' } & DefinitionInput;
export type GenerateTimeSlots = { type: 'GenerateTimeSlots'; callSlotId: string; grid: TimeSlotGrid };
export type DeleteCallSlot = { type: 'DeleteCallSlot'; callSlotId: string; reason: string | null };
/** Close every occurrence on a local date (holiday). `now` decides which dates are already over. */
export type CloseDate = { type: 'CloseDate'; callSlotId: string; date: string; reason: string | null; now: string };
export type ReopenDate = { type: 'ReopenDate'; callSlotId: string; date: string; now: string };

export type CallSlotCommand = CreateCallSlot | UpdateCallSlot | GenerateTimeSlots | DeleteCallSlot | CloseDate | ReopenDate;

// ---------------------------------------------------------------- decide

export function decideCallSlot(command: CallSlotCommand, state: CallSlotState): CallSlotEvent[] {
  if (command.type === 'CreateCallSlot') return create(command, state);
  if (state.status === 'Empty') {
    throw callbackSlotsError('CALL_SLOT_NOT_FOUND', `no call slot ${command.callSlotId}`, [{ path: 'callSlotId', message: 'unknown call slot' }]);
  }
  if (state.status === 'Deleted') {
    if (command.type === 'DeleteCallSlot') return []; // deleting twice changes nothing
    throw callbackSlotsError('CALL_SLOT_DELETED', `call slot ${command.callSlotId} was deleted`);
  }
  switch (command.type) {
    case 'UpdateCallSlot': {
      const next = definitionOf(command, state.definition.settings);
      return changeEvents(state.definition, next, null);
    }
    case 'GenerateTimeSlots': {
      const { definition } = state;
      const generated = generateTimeSlotGrid(command.grid);
      const kept =
        command.grid.mode === 'replace-weekdays'
          ? definition.timeSlots.filter((slot) => !command.grid.weekdays.includes(slot.weekday))
          : definition.timeSlots;
      // Kept slots are reported by their index in the stored definition, generated ones as `grid`.
      const keptIndex = kept.map((slot) => definition.timeSlots.indexOf(slot));
      const timeSlots = validTimeSlots([...kept, ...generated], (i) => (i < kept.length ? `timeSlots.${keptIndex[i]}` : 'grid'));
      return changeEvents(definition, { ...definition, timeSlots }, command.grid);
    }
    case 'DeleteCallSlot':
      return [{ type: 'CallSlotDeleted', data: { callSlotId: command.callSlotId, reason: command.reason } }];
    case 'CloseDate': {
      assertNotPast(command.date, command.now, state.definition.zone);
      if (state.closedDates.has(command.date)) return [];
      return [{ type: 'OccurrenceClosed', data: { callSlotId: command.callSlotId, date: command.date, reason: command.reason } }];
    }
    case 'ReopenDate': {
      assertNotPast(command.date, command.now, state.definition.zone);
      if (!state.closedDates.has(command.date)) return [];
      return [{ type: 'OccurrenceReopened', data: { callSlotId: command.callSlotId, date: command.date } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function create(command: CreateCallSlot, state: CallSlotState): CallSlotEvent[] {
  const definition = definitionOf(command, DEFAULT_CALL_SLOT_SETTINGS);
  if (state.status === 'Active' && sameJson(state.definition, definition)) return []; // a retried create
  if (state.status !== 'Empty') {
    throw callbackSlotsError('CALL_SLOT_EXISTS', `call slot ${command.callSlotId} exists (or existed)`, [
      { path: 'callSlotId', message: 'already in use' },
    ]);
  }
  return [{ type: 'CallSlotCreated', data: definition }];
}

function changeEvents(current: CallSlotDefinition, next: CallSlotDefinition, grid: TimeSlotGrid | null): CallSlotEvent[] {
  const changed = CALL_SLOT_FIELDS.filter((field) => !sameJson(current[field], next[field]));
  if (changed.length === 0) return [];
  return [{ type: 'CallSlotUpdated', data: { ...next, changed, grid } }];
}

// ---------------------------------------------------------------- evolve

export function evolveCallSlot(state: CallSlotState, event: CallSlotEvent): CallSlotState {
  switch (event.type) {
    case 'CallSlotCreated':
      return { status: 'Active', definition: event.data, closedDates: new Set() };
    case 'CallSlotUpdated': {
      if (state.status === 'Empty') return state;
      const { changed: _changed, grid: _grid, ...definition } = event.data;
      return { ...state, definition };
    }
    case 'CallSlotDeleted':
      return state.status === 'Empty' ? state : { ...state, status: 'Deleted' };
    case 'OccurrenceClosed':
      return state.status === 'Empty' ? state : { ...state, closedDates: new Set([...state.closedDates, event.data.date]) };
    case 'OccurrenceReopened': {
      if (state.status === 'Empty') return state;
      const closedDates = new Set(state.closedDates);
      closedDates.delete(event.data.date);
      return { ...state, closedDates };
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const callSlotDecider: Decider<CallSlotState, CallSlotCommand, CallSlotEvent> = {
  initialState: initialCallSlotState,
  evolve: evolveCallSlot,
  decide: decideCallSlot,
};

// ---------------------------------------------------------------- validation

/** Validated, normalised definition: canonical zone spelling, time slots sorted, settings complete. */
function definitionOf(input: DefinitionInput, baseSettings: CallSlotSettings): CallSlotDefinition {
  const zone = normalizeZone(input.zone);
  if (zone === null) {
    throw callbackSlotsError('INVALID_ZONE', `"${input.zone}" is not an IANA time zone`, [
      { path: 'zone', message: 'an IANA zone name such as "Europe/London"' },
    ]);
  }
  return {
    callSlotId: input.callSlotId,
    name: input.name.trim(),
    zone,
    timeSlots: validTimeSlots(input.timeSlots, (i) => `timeSlots.${i}`),
    settings: mergeSettings(baseSettings, input.settings ?? {}),
  };
}

/**
 * Checks capacities (0..CAPACITY_MAX), that each time slot ends by 24:00 of its day, and that no two
 * of one weekday overlap (touching is fine: 09:00+30 and 09:30). Returns them sorted by weekday then
 * start. `pathOf(i)` names the i-th input in field errors.
 */
export function validTimeSlots(inputs: readonly TimeSlotInput[], pathOf: (index: number) => string): TimeSlot[] {
  if (inputs.length > MAX_TIME_SLOTS) {
    throw callbackSlotsError('TOO_MANY_TIME_SLOTS', `${inputs.length} time slots; at most ${MAX_TIME_SLOTS}`, [
      { path: 'timeSlots', message: `at most ${MAX_TIME_SLOTS}` },
    ]);
  }
  const badCapacity: FieldError[] = [];
  const pastMidnight: FieldError[] = [];
  inputs.forEach((slot, i) => {
    if (!Number.isInteger(slot.capacity) || slot.capacity < 0 || slot.capacity > CAPACITY_MAX) {
      badCapacity.push({ path: `${pathOf(i)}.capacity`, message: `must be 0 to ${CAPACITY_MAX}, is ${slot.capacity}` });
    }
    if (startOf(slot) + slot.lengthMinutes > MINUTES_PER_DAY) {
      pastMidnight.push({ path: `${pathOf(i)}.lengthMinutes`, message: `${describe(slot)} ends after 24:00` });
    }
  });
  if (badCapacity.length) throw callbackSlotsError('INVALID_CAPACITY', 'a capacity must be 0 or more', onePerPath(badCapacity));
  if (pastMidnight.length) {
    throw callbackSlotsError('TIME_SLOT_CROSSES_MIDNIGHT', 'a time slot must end by 24:00 of its day', onePerPath(pastMidnight));
  }

  const order = inputs.map((_, i) => i).sort((a, b) => compareSlots(inputs[a]!, inputs[b]!));
  const overlaps: [string, string][] = [];
  const errors: FieldError[] = [];
  let reach: { index: number; end: number } | null = null; // the slot reaching furthest so far on this weekday
  order.forEach((index, k) => {
    const slot = inputs[index]!;
    if (k > 0 && inputs[order[k - 1]!]!.weekday !== slot.weekday) reach = null;
    const start = startOf(slot);
    if (reach && start < reach.end) {
      const pair: [number, number] = [Math.min(reach.index, index), Math.max(reach.index, index)];
      overlaps.push([pathOf(pair[0]), pathOf(pair[1])]);
      errors.push({ path: pathOf(pair[1]), message: `${describe(inputs[pair[1]]!)} overlaps ${pathOf(pair[0])} (${describe(inputs[pair[0]]!)})` });
    }
    if (!reach || start + slot.lengthMinutes > reach.end) reach = { index, end: start + slot.lengthMinutes };
  });
  if (errors.length) {
    throw callbackSlotsError('OVERLAPPING_TIME_SLOTS', 'time slots of one weekday must not overlap', onePerPath(errors), { overlaps });
  }

  return order.map((i) => {
    const { weekday, start, lengthMinutes, capacity } = inputs[i]!;
    return { weekday, start, lengthMinutes, capacity };
  });
}

/** Fills a settings patch from `base` and checks the result (CALLBACK_SLOTS.INVALID_SETTINGS, paths `settings.…`). */
export function mergeSettings(base: CallSlotSettings, patch: CallSlotSettingsPatch): CallSlotSettings {
  const merged: CallSlotSettings = {
    offerWindowDays: patch.offerWindowDays ?? base.offerWindowDays,
    offerHorizonDays: patch.offerHorizonDays ?? base.offerHorizonDays,
    offerLimit: patch.offerLimit ?? base.offerLimit,
    dialOrder: patch.dialOrder ?? base.dialOrder,
    dtmfKeys: {
      choose: patch.dtmfKeys?.choose ?? base.dtmfKeys.choose,
      repeat: patch.dtmfKeys?.repeat ?? base.dtmfKeys.repeat,
      decline: patch.dtmfKeys?.decline ?? base.dtmfKeys.decline,
      confirm: patch.dtmfKeys?.confirm ?? base.dtmfKeys.confirm,
    },
    maxNumberReprompts: patch.maxNumberReprompts ?? base.maxNumberReprompts,
    offerSessionTtlSeconds: patch.offerSessionTtlSeconds ?? base.offerSessionTtlSeconds,
    retryPolicy: {
      maxAttempts: patch.retryPolicy?.maxAttempts ?? base.retryPolicy.maxAttempts,
      backoffSeconds: patch.retryPolicy?.backoffSeconds ?? base.retryPolicy.backoffSeconds,
    },
  };
  const checked = CallSlotSettingsSchema.safeParse(merged);
  if (!checked.success) {
    throw callbackSlotsError(
      'INVALID_SETTINGS',
      'the call slot settings are not valid',
      checked.error.issues.map((issue) => ({ path: ['settings', ...issue.path.map(String)].join('.'), message: issue.message })),
    );
  }
  return merged;
}

function assertNotPast(date: string, now: string, zone: string): void {
  const day = parseLocalDate(date);
  if (day === null) throw new RangeError(`not a date: "${date}"`);
  const today = localDateOf(Date.parse(now), zone);
  if (compareLocalDates(day, today) < 0) {
    throw callbackSlotsError('DATE_IN_PAST', `${date} is over in ${zone} (today is ${formatLocalDate(today)})`, [
      { path: 'date', message: 'must be today or later' },
    ]);
  }
}

const startOf = (slot: Pick<TimeSlotInput, 'start'>): number => {
  const minutes = parseClockTime(slot.start);
  if (minutes === null) throw new RangeError(`malformed time slot start "${slot.start}"`);
  return minutes;
};

const compareSlots = (a: TimeSlotInput, b: TimeSlotInput): number =>
  isoWeekdayOf(a.weekday) - isoWeekdayOf(b.weekday) || startOf(a) - startOf(b);

const describe = (slot: TimeSlotInput): string =>
  `${slot.weekday} ${slot.start}-${formatClockTime(startOf(slot) + slot.lengthMinutes)}`;

/** Generated time slots share one path (`grid`): report each path once. */
const onePerPath = (errors: FieldError[]): FieldError[] => errors.filter((e, i) => errors.findIndex((o) => o.path === e.path) === i);

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
