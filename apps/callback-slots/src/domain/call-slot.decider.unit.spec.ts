// Specification of the call slot definition: time slots per weekday that never overlap, capacities
// of 0 or more, complete settings, grids stored as explicit time slots, closed dates.
import { DEFAULT_CALL_SLOT_SETTINGS, DomainError, foldEvents, type CallSlotEvent, type TimeSlotInput } from '@cc/contracts';
import { callSlotDecider, type CallSlotCommand, type CallSlotState, type CreateCallSlot } from './call-slot.decider';

const create = (over: Partial<CreateCallSlot> = {}): CreateCallSlot => ({
  type: 'CreateCallSlot',
  callSlotId: 'support-uk',
  name: 'UK support',
  zone: 'Europe/London',
  timeSlots: [
    { weekday: 'tue', start: '14:00', lengthMinutes: 60, capacity: 2 },
    { weekday: 'mon', start: '09:30', lengthMinutes: 30, capacity: 5 },
    { weekday: 'mon', start: '09:00', lengthMinutes: 30, capacity: 5 },
  ],
  ...over,
});
const update = (timeSlots: TimeSlotInput[], over: Partial<CallSlotCommand> = {}): CallSlotCommand =>
  ({ type: 'UpdateCallSlot', callSlotId: 'support-uk', name: 'UK support', zone: 'Europe/London', timeSlots, ...over }) as CallSlotCommand;
const NOW = '2026-11-20T10:00:00.000Z'; // a Friday

function given(...commands: CallSlotCommand[]): CallSlotState {
  const events: CallSlotEvent[] = [];
  for (const command of commands) events.push(...callSlotDecider.decide(command, foldEvents(callSlotDecider, events)));
  return foldEvents(callSlotDecider, events);
}
const decide = (state: CallSlotState, command: CallSlotCommand) => callSlotDecider.decide(command, state);
function refusal(state: CallSlotState, command: CallSlotCommand): DomainError {
  try {
    decide(state, command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('call slot', () => {
  describe('Empty', () => {
    it('creates with the complete definition: canonical zone, time slots sorted by weekday and start, default settings', () => {
      const [event] = decide(given(), create({ zone: 'europe/london' }));
      expect(event).toEqual({
        type: 'CallSlotCreated',
        data: {
          callSlotId: 'support-uk',
          name: 'UK support',
          zone: 'Europe/London',
          timeSlots: [
            { weekday: 'mon', start: '09:00', lengthMinutes: 30, capacity: 5 },
            { weekday: 'mon', start: '09:30', lengthMinutes: 30, capacity: 5 },
            { weekday: 'tue', start: '14:00', lengthMinutes: 60, capacity: 2 },
          ],
          settings: DEFAULT_CALL_SLOT_SETTINGS,
        },
      });
    });

    it('has the seed defaults: offered within 6 days, up to 7 days, keys 1 choose / 2 repeat / 3 decline / # confirm, 3 re-prompts', () => {
      expect(DEFAULT_CALL_SLOT_SETTINGS).toMatchObject({
        offerWindowDays: 6,
        offerHorizonDays: 7,
        dtmfKeys: { choose: '1', repeat: '2', decline: '3', confirm: '#' },
        maxNumberReprompts: 3,
      });
    });

    it('fills left-out settings from the defaults', () => {
      const [event] = decide(given(), create({ settings: { offerLimit: 4, dtmfKeys: { decline: '9' } } }));
      expect(event!.type === 'CallSlotCreated' && event.data.settings).toEqual({
        ...DEFAULT_CALL_SLOT_SETTINGS,
        offerLimit: 4,
        dtmfKeys: { ...DEFAULT_CALL_SLOT_SETTINGS.dtmfKeys, decline: '9' },
      });
    });

    it.each<[string, Partial<CreateCallSlot>, string, string[]]>([
      ['an unknown zone', { zone: 'Mars/Olympus' }, 'CALLBACK_SLOTS.INVALID_ZONE', ['zone']],
      ['an offset instead of a zone', { zone: '+01:00' }, 'CALLBACK_SLOTS.INVALID_ZONE', ['zone']],
      [
        'a negative capacity',
        { timeSlots: [{ weekday: 'mon', start: '09:00', lengthMinutes: 30, capacity: -1 }] },
        'CALLBACK_SLOTS.INVALID_CAPACITY',
        ['timeSlots.0.capacity'],
      ],
      [
        'a time slot ending after midnight',
        { timeSlots: [{ weekday: 'mon', start: '23:30', lengthMinutes: 60, capacity: 1 }] },
        'CALLBACK_SLOTS.TIME_SLOT_CROSSES_MIDNIGHT',
        ['timeSlots.0.lengthMinutes'],
      ],
      [
        'two overlapping time slots of one weekday (reported on the later one, in input order)',
        {
          timeSlots: [
            { weekday: 'mon', start: '09:15', lengthMinutes: 30, capacity: 1 },
            { weekday: 'tue', start: '09:00', lengthMinutes: 30, capacity: 1 },
            { weekday: 'mon', start: '09:00', lengthMinutes: 30, capacity: 1 },
          ],
        },
        'CALLBACK_SLOTS.OVERLAPPING_TIME_SLOTS',
        ['timeSlots.2'],
      ],
      [
        'a time slot inside a longer one',
        {
          timeSlots: [
            { weekday: 'fri', start: '09:00', lengthMinutes: 120, capacity: 1 },
            { weekday: 'fri', start: '09:30', lengthMinutes: 30, capacity: 1 },
            { weekday: 'fri', start: '10:30', lengthMinutes: 30, capacity: 1 },
          ],
        },
        'CALLBACK_SLOTS.OVERLAPPING_TIME_SLOTS',
        ['timeSlots.1', 'timeSlots.2'],
      ],
      [
        'the offer horizon shorter than the offer window',
        { settings: { offerWindowDays: 6, offerHorizonDays: 5 } },
        'CALLBACK_SLOTS.INVALID_SETTINGS',
        ['settings.offerHorizonDays'],
      ],
      ['one key for two actions', { settings: { dtmfKeys: { repeat: '1' } } }, 'CALLBACK_SLOTS.INVALID_SETTINGS', ['settings.dtmfKeys.repeat']],
      ['an offer limit of 0', { settings: { offerLimit: 0 } }, 'CALLBACK_SLOTS.INVALID_SETTINGS', ['settings.offerLimit']],
    ])('refuses %s', (_, over, code, paths) => {
      const error = refusal(given(), create(over));
      expect(error.code).toBe(code);
      expect(error.kind).toBe('validation');
      expect(error.errors.map((e) => e.path)).toEqual(paths);
    });

    it('names both time slots of an overlap in the details', () => {
      const error = refusal(
        given(),
        create({
          timeSlots: [
            { weekday: 'mon', start: '09:00', lengthMinutes: 30, capacity: 1 },
            { weekday: 'mon', start: '09:29', lengthMinutes: 30, capacity: 1 },
          ],
        }),
      );
      expect(error.details).toEqual({ overlaps: [['timeSlots.0', 'timeSlots.1']] });
      expect(error.errors[0]!.message).toBe('mon 09:29-09:59 overlaps timeSlots.0 (mon 09:00-09:30)');
    });

    it('accepts touching time slots, the same time on different weekdays, capacity 0 and a slot ending at 24:00', () => {
      const events = decide(
        given(),
        create({
          timeSlots: [
            { weekday: 'mon', start: '09:00', lengthMinutes: 30, capacity: 0 },
            { weekday: 'mon', start: '09:30', lengthMinutes: 30, capacity: 1 },
            { weekday: 'tue', start: '09:00', lengthMinutes: 30, capacity: 1 },
            { weekday: 'sun', start: '23:00', lengthMinutes: 60, capacity: 1 },
          ],
        }),
      );
      expect(events).toHaveLength(1);
    });

    it.each<CallSlotCommand>([
      update([]),
      { type: 'DeleteCallSlot', callSlotId: 'support-uk', reason: null },
      { type: 'CloseDate', callSlotId: 'support-uk', date: '2026-12-25', reason: null, now: NOW },
    ])('refuses $type of a call slot that does not exist (CALL_SLOT_NOT_FOUND)', (command) => {
      expect(refusal(given(), command)).toMatchObject({ code: 'CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND', kind: 'not_found' });
    });
  });

  describe('Active', () => {
    it('a retried identical create changes nothing; a different one is refused (CALL_SLOT_EXISTS)', () => {
      expect(decide(given(create()), create())).toEqual([]);
      expect(refusal(given(create()), create({ name: 'Other' })).code).toBe('CALLBACK_SLOTS.CALL_SLOT_EXISTS');
    });

    it('an update carries the complete definition and names what changed', () => {
      const [event] = decide(given(create()), update([{ weekday: 'wed', start: '10:00', lengthMinutes: 30, capacity: 3 }], { name: 'Renamed' }));
      expect(event).toMatchObject({
        type: 'CallSlotUpdated',
        data: {
          name: 'Renamed',
          zone: 'Europe/London',
          timeSlots: [{ weekday: 'wed', start: '10:00', lengthMinutes: 30, capacity: 3 }],
          settings: DEFAULT_CALL_SLOT_SETTINGS,
          changed: ['name', 'timeSlots'],
          grid: null,
        },
      });
    });

    it('an update keeps settings it does not mention, and an unchanged update emits nothing', () => {
      const state = given(create({ settings: { offerLimit: 4 } }));
      const same = update(create().timeSlots as TimeSlotInput[]);
      expect(decide(state, same)).toEqual([]);
      const [event] = decide(state, { ...same, settings: { maxNumberReprompts: 1 } } as CallSlotCommand);
      expect(event!.type === 'CallSlotUpdated' && event.data.settings).toMatchObject({ offerLimit: 4, maxNumberReprompts: 1 });
    });

    it('an update validates like create (overlap reported with its path)', () => {
      const error = refusal(
        given(create()),
        update([
          { weekday: 'mon', start: '09:00', lengthMinutes: 60, capacity: 1 },
          { weekday: 'mon', start: '09:30', lengthMinutes: 30, capacity: 1 },
        ]),
      );
      expect(error).toMatchObject({ code: 'CALLBACK_SLOTS.OVERLAPPING_TIME_SLOTS', errors: [{ path: 'timeSlots.1' }] });
    });

    describe('grid generator', () => {
      const grid = (over = {}) => ({
        type: 'GenerateTimeSlots' as const,
        callSlotId: 'support-uk',
        grid: { weekdays: ['mon', 'wed'] as ('mon' | 'wed')[], from: '09:00', to: '10:45', everyMinutes: 30, capacity: 3, mode: 'replace-weekdays' as const, ...over },
      });

      it('stores every N minutes from..to on the chosen weekdays as explicit time slots, replacing those weekdays', () => {
        const [event] = decide(given(create()), grid());
        expect(event!.type).toBe('CallSlotUpdated');
        const data = event!.type === 'CallSlotUpdated' ? event.data : null;
        expect(data!.timeSlots.map((s) => `${s.weekday} ${s.start}+${s.lengthMinutes} x${s.capacity}`)).toEqual([
          'mon 09:00+30 x3',
          'mon 09:30+30 x3',
          'mon 10:00+30 x3', // 10:30-11:00 would pass 10:45: the remainder stays free
          'tue 14:00+60 x2', // other weekdays are kept
          'wed 09:00+30 x3',
          'wed 09:30+30 x3',
          'wed 10:00+30 x3',
        ]);
        expect(data).toMatchObject({ changed: ['timeSlots'], grid: { everyMinutes: 30, mode: 'replace-weekdays' } });
      });

      it('"add" keeps the existing time slots and refuses a grid overlapping them (path "grid")', () => {
        const error = refusal(given(create()), grid({ mode: 'add', weekdays: ['mon'] }));
        expect(error.code).toBe('CALLBACK_SLOTS.OVERLAPPING_TIME_SLOTS');
        expect(error.errors.map((e) => e.path)).toEqual(['grid']);
        expect(error.details).toEqual({ overlaps: [['timeSlots.0', 'grid'], ['timeSlots.1', 'grid']] });
        expect(decide(given(create()), grid({ mode: 'add', weekdays: ['mon'], from: '12:00', to: '13:00' }))).toHaveLength(1);
      });

      it.each([
        [{ from: '10:00', to: '10:00' }, 'CALLBACK_SLOTS.INVALID_TIME_SLOT_GRID', 'grid.to'],
        [{ from: '10:00', to: '10:20' }, 'CALLBACK_SLOTS.INVALID_TIME_SLOT_GRID', 'grid.to'],
        [{ capacity: -2 }, 'CALLBACK_SLOTS.INVALID_CAPACITY', 'grid.capacity'],
      ])('refuses the grid %p (%s at %s)', (over, code, path) => {
        expect(refusal(given(create()), grid(over))).toMatchObject({ code, errors: [{ path }] });
      });

      it('a grid up to 24:00 ends its last time slot at midnight', () => {
        const [event] = decide(given(create()), grid({ weekdays: ['sun'], from: '22:00', to: '24:00', everyMinutes: 60 }));
        const slots = event!.type === 'CallSlotUpdated' ? event.data.timeSlots.filter((s) => s.weekday === 'sun') : [];
        expect(slots.map((s) => s.start)).toEqual(['22:00', '23:00']);
      });
    });

    describe('closed dates', () => {
      const close = (date: string, now = NOW): CallSlotCommand => ({ type: 'CloseDate', callSlotId: 'support-uk', date, reason: 'holiday', now });
      const reopen = (date: string, now = NOW): CallSlotCommand => ({ type: 'ReopenDate', callSlotId: 'support-uk', date, now });

      it('closes a date (OccurrenceClosed) once; closing it again changes nothing', () => {
        expect(decide(given(create()), close('2026-12-25'))).toEqual([
          { type: 'OccurrenceClosed', data: { callSlotId: 'support-uk', date: '2026-12-25', reason: 'holiday' } },
        ]);
        const state = given(create(), close('2026-12-25'));
        expect(state.status === 'Active' && [...state.closedDates]).toEqual(['2026-12-25']);
        expect(decide(state, close('2026-12-25'))).toEqual([]);
      });

      it('reopens a closed date; reopening an open date changes nothing', () => {
        const state = given(create(), close('2026-12-25'), reopen('2026-12-25'));
        expect(state.status === 'Active' && state.closedDates.size).toBe(0);
        expect(decide(state, reopen('2026-12-25'))).toEqual([]);
      });

      it("judges 'today' in the call slot's zone: Sydney's today is London's tomorrow", () => {
        const lateEvening = '2026-11-20T20:00:00.000Z'; // already 21 November in Sydney
        const sydney = given(create({ zone: 'Australia/Sydney' }));
        expect(refusal(sydney, close('2026-11-20', lateEvening)).code).toBe('CALLBACK_SLOTS.DATE_IN_PAST');
        expect(decide(sydney, close('2026-11-21', lateEvening))).toHaveLength(1);
        expect(decide(given(create()), close('2026-11-20', lateEvening))).toHaveLength(1);
      });

      it('refuses a past date with DATE_IN_PAST on path "date"', () => {
        expect(refusal(given(create()), close('2026-11-19'))).toMatchObject({ code: 'CALLBACK_SLOTS.DATE_IN_PAST', errors: [{ path: 'date' }] });
      });

      it('an update keeps the closed dates', () => {
        const state = given(create(), close('2026-12-25'), update([]));
        expect(state.status === 'Active' && [...state.closedDates]).toEqual(['2026-12-25']);
      });
    });
  });

  describe('Deleted', () => {
    const deleted = () => given(create(), { type: 'DeleteCallSlot', callSlotId: 'support-uk', reason: 'replaced' });

    it('deleting again changes nothing', () => {
      expect(decide(deleted(), { type: 'DeleteCallSlot', callSlotId: 'support-uk', reason: null })).toEqual([]);
    });

    it('refuses changes with CALL_SLOT_DELETED (gone) and a create with the same id with CALL_SLOT_EXISTS', () => {
      expect(refusal(deleted(), update([]))).toMatchObject({ code: 'CALLBACK_SLOTS.CALL_SLOT_DELETED', kind: 'gone' });
      expect(refusal(deleted(), create()).code).toBe('CALLBACK_SLOTS.CALL_SLOT_EXISTS');
    });
  });
});
