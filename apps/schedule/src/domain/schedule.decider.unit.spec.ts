import { DomainError, parseScheduleEvent, type ScheduleEvent } from '@cc/contracts';
import { evaluateSchedule, validateScheduleDefinition, type ScheduleException, type WeeklyRange } from '@cc/scheduling';
import { decide, evolve, initialState, type ScheduleCommand, type ScheduleState } from './schedule.decider';

// Wednesday 2026-01-07 10:00 UTC (= 10:00 Europe/London). Rotation anchored on Monday 2026-01-05.
const NOW = new Date('2026-01-07T10:00:00Z');
const ctx = { now: NOW, actor: 'user:admin@acme.test' };
const r = (day: WeeklyRange['day'], start: string, end: string): WeeklyRange => ({ day, start, end });
const weekdays = (start: string, end: string): WeeklyRange[] => (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((d) => r(d, start, end));

type Cmd = ScheduleCommand extends infer C ? (C extends ScheduleCommand ? Omit<C, 'now' | 'actor'> & Partial<Pick<C, 'now' | 'actor'>> : never) : never;
const cmd = (c: Cmd): ScheduleCommand => ({ ...ctx, ...c }) as ScheduleCommand;

const fold = (events: ScheduleEvent[]): ScheduleState => events.reduce(evolve, initialState());

/** Given the events these commands produce (each decided on the state so far). */
function given(...commands: Cmd[]): ScheduleEvent[] {
  const events: ScheduleEvent[] = [];
  for (const c of commands) events.push(...decide(cmd(c), fold(events)));
  return events;
}

/** When `command` on the state `history` folds to: the events, each checked against its contract schema. */
function when(history: ScheduleEvent[], command: Cmd): ScheduleEvent[] {
  const events = decide(cmd(command), fold(history));
  for (const e of events) {
    expect(parseScheduleEvent({ type: e.type, version: 1, data: e.data })).toEqual(e);
    expect(validateScheduleDefinition(e.data.schedule)).toEqual([]);
  }
  return events;
}

function refused(history: ScheduleEvent[], command: Cmd): DomainError {
  try {
    decide(cmd(command), fold(history));
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error(`${command.type} was not refused`);
}

const schedule = (events: ScheduleEvent[]) => {
  const state = fold(events);
  if (state.status === 'none') throw new Error('no schedule');
  return state.schedule;
};

const create: Cmd = { type: 'CreateSchedule', tenantId: 'acme', scheduleId: 'main', name: 'Main line', timezone: 'Europe/London', mode: 'custom' };
const addA: Cmd = { type: 'AddTemplate', templateId: 'A', name: 'Week A', ranges: weekdays('09:00', '17:00') };
const addB: Cmd = { type: 'AddTemplate', templateId: 'B', name: 'Week B', ranges: weekdays('08:00', '12:00') };
const addC: Cmd = { type: 'AddTemplate', templateId: 'C', name: 'Week C', ranges: [r('sat', '10:00', '14:00')] };
const rotateFromA: Cmd = { type: 'ActivateRotation', anchorDate: '2026-01-05', firstTemplateId: 'A' };
const christmas: ScheduleException = {
  exceptionId: 'xmas',
  label: 'Christmas Day',
  effect: 'closed',
  when: { kind: 'recurring-all-day', rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25', dtstart: '2020-12-25', days: 1, exdates: [] },
};
const boxingDay: ScheduleException = { exceptionId: 'boxing', label: 'Boxing Day', effect: 'closed', when: { kind: 'dates', from: '2026-12-26', to: '2026-12-26' } };

describe('no schedule yet', () => {
  it('CreateSchedule creates it with a canonical zone, a trimmed name and nothing else', () => {
    expect(when([], { ...create, name: '  Main line ', timezone: 'europe/london' })).toEqual([
      {
        type: 'ScheduleCreated',
        data: {
          schedule: {
            scheduleId: 'main',
            tenantId: 'acme',
            name: 'Main line',
            timezone: 'Europe/London',
            mode: 'custom',
            templates: [],
            rotation: null,
            exceptions: [],
            emergency: null,
          },
        },
      },
    ]);
  });

  it.each<[string, Cmd, string, string[]]>([
    ['an unknown zone', { ...create, timezone: 'Europe/Lundon' }, 'SCHEDULE.UNKNOWN_ZONE', ['timezone']],
    ['an offset instead of a zone', { ...create, timezone: '+01:00' }, 'SCHEDULE.UNKNOWN_ZONE', ['timezone']],
    ['an empty name', { ...create, name: '   ' }, 'SCHEDULE.INVALID_NAME', ['name']],
  ])('CreateSchedule refuses %s', (_name, command, code, paths) => {
    const error = refused([], command);
    expect([error.code, error.errors.map((e) => e.path)]).toEqual([code, paths]);
  });

  it.each<Cmd>([addA, { type: 'RenameSchedule', name: 'x' }, { type: 'DeleteSchedule' }, { type: 'ClearEmergencyOverride' }])(
    '$type on a schedule that does not exist is 404 SCHEDULE.NOT_FOUND',
    (command) => {
      const error = refused([], command);
      expect([error.code, error.kind]).toEqual(['SCHEDULE.NOT_FOUND', 'not_found']);
    },
  );
});

describe('active schedule', () => {
  const created = given(create);

  it('CreateSchedule again is 409 SCHEDULE.ALREADY_EXISTS', () => {
    expect(refused(created, create).code).toBe('SCHEDULE.ALREADY_EXISTS');
  });

  describe('name, zone and mode', () => {
    it('RenameSchedule renames; the same name again changes nothing', () => {
      expect(when(created, { type: 'RenameSchedule', name: 'Sales' })).toEqual([
        { type: 'ScheduleRenamed', data: expect.objectContaining({ name: 'Sales', previousName: 'Main line' }) },
      ]);
      expect(when(created, { type: 'RenameSchedule', name: ' Main line ' })).toEqual([]);
    });

    it('ChangeScheduleTimezone moves the rules to another zone; an unknown zone is refused', () => {
      const [event] = when(created, { type: 'ChangeScheduleTimezone', timezone: 'America/New_York' });
      expect(event?.data).toMatchObject({ timezone: 'America/New_York', previousTimezone: 'Europe/London', schedule: { timezone: 'America/New_York' } });
      expect(refused(created, { type: 'ChangeScheduleTimezone', timezone: 'Mars/Olympus' }).code).toBe('SCHEDULE.UNKNOWN_ZONE');
    });

    it('24/7 overrides the rotation without deleting it, and switching back restores it', () => {
      const rotating = given(create, addA, addB, rotateFromA);
      const always = [...rotating, ...when(rotating, { type: 'SetScheduleMode', mode: '24/7' })];
      expect(schedule(always)).toMatchObject({ mode: '24/7', templates: [{ templateId: 'A' }, { templateId: 'B' }], rotation: { active: true } });
      expect(evaluateSchedule(schedule(always), new Date('2026-01-14T20:00:00Z')).decidedBy).toEqual({ kind: '24/7' });
      const back = [...always, ...when(always, { type: 'SetScheduleMode', mode: 'custom' })];
      expect(evaluateSchedule(schedule(back), new Date('2026-01-14T10:00:00Z')).week).toEqual({ index: 1, templateId: 'B' });
      expect(when(back, { type: 'SetScheduleMode', mode: 'custom' })).toEqual([]);
    });
  });

  describe('templates and time slots', () => {
    it('AddTemplate appends it with its slots sorted Monday first', () => {
      const [event] = when(created, { type: 'AddTemplate', templateId: 'A', name: 'Week A', ranges: [r('fri', '09:00', '12:00'), r('mon', '13:00', '17:00'), r('mon', '09:00', '12:00')] });
      expect(event).toEqual({
        type: 'ScheduleTemplateAdded',
        data: expect.objectContaining({ template: { templateId: 'A', name: 'Week A', ranges: [r('mon', '09:00', '12:00'), r('mon', '13:00', '17:00'), r('fri', '09:00', '12:00')] } }),
      });
    });

    it.each<[string, Cmd, string, string[]]>([
      ['overlapping slots', { ...addA, ranges: [r('mon', '09:00', '12:00'), r('mon', '11:00', '13:00')] }, 'SCHEDULE.OVERLAPPING_SLOTS', ['ranges[1]']],
      ['a slot crossing midnight into the next one', { ...addA, ranges: [r('sun', '22:00', '02:00'), r('mon', '01:00', '03:00')] }, 'SCHEDULE.OVERLAPPING_SLOTS', ['ranges[1]']],
      ['start equal to end', { ...addA, ranges: [r('mon', '09:00', '12:00'), r('tue', '10:00', '10:00')] }, 'SCHEDULE.START_EQUALS_END', ['ranges[1].end']],
      ['a malformed time', { ...addA, ranges: [r('mon', '9:00', '12:00')] }, 'SCHEDULE.INVALID_TIME', ['ranges[0].start']],
      ['an empty name', { ...addA, name: '' }, 'SCHEDULE.INVALID_NAME', ['name']],
    ])('AddTemplate refuses %s, naming the field', (_name, command, code, paths) => {
      const error = refused(created, command);
      expect([error.code, error.kind, error.errors.map((e) => e.path)]).toEqual([code, 'validation', paths]);
    });

    it('AddTemplate with a taken id is 409 SCHEDULE.TEMPLATE_EXISTS', () => {
      expect(refused(given(create, addA), addA).code).toBe('SCHEDULE.TEMPLATE_EXISTS');
    });

    it('RenameTemplate renames; an unknown template is 404', () => {
      const withA = given(create, addA);
      expect(when(withA, { type: 'RenameTemplate', templateId: 'A', name: 'Schedule 1' })[0]?.data).toMatchObject({ name: 'Schedule 1', previousName: 'Week A' });
      expect(refused(withA, { type: 'RenameTemplate', templateId: 'Z', name: 'x' }).code).toBe('SCHEDULE.TEMPLATE_NOT_FOUND');
    });

    it('SetTemplateRanges replaces the slots; the same slots again change nothing', () => {
      const withA = given(create, addA);
      const [event] = when(withA, { type: 'SetTemplateRanges', templateId: 'A', ranges: [r('sat', '10:00', '12:00')] });
      expect(event?.data).toMatchObject({ templateId: 'A', ranges: [r('sat', '10:00', '12:00')], schedule: { templates: [{ ranges: [r('sat', '10:00', '12:00')] }] } });
      expect(when(withA, { type: 'SetTemplateRanges', templateId: 'A', ranges: [...weekdays('09:00', '17:00')].reverse() })).toEqual([]);
      expect(refused(withA, { type: 'SetTemplateRanges', templateId: 'A', ranges: [r('sat', '10:00', '12:00'), r('sat', '11:00', '12:00')] }).code).toBe(
        'SCHEDULE.OVERLAPPING_SLOTS',
      );
    });

    it('AddTimeSlot adds one slot in order; the same slot again changes nothing', () => {
      const withA = given(create, addA);
      const [event] = when(withA, { type: 'AddTimeSlot', templateId: 'A', range: r('sat', '10:00', '12:00') });
      expect(event?.data).toMatchObject({ range: r('sat', '10:00', '12:00') });
      expect(schedule([...withA, event!]).templates[0]!.ranges.at(-1)).toEqual(r('sat', '10:00', '12:00'));
      expect(when(withA, { type: 'AddTimeSlot', templateId: 'A', range: r('mon', '09:00', '17:00') })).toEqual([]);
    });

    it.each<[string, WeeklyRange, string, string]>([
      ['overlapping an existing slot', r('mon', '16:00', '18:00'), 'SCHEDULE.OVERLAPPING_SLOTS', 'range'],
      ['crossing midnight into an existing slot', r('sun', '23:00', '09:30'), 'SCHEDULE.OVERLAPPING_SLOTS', 'range'],
      ['with start equal to end', r('sat', '10:00', '10:00'), 'SCHEDULE.START_EQUALS_END', 'range.end'],
    ])('AddTimeSlot refuses a slot %s', (_name, range, code, path) => {
      const error = refused(given(create, addA), { type: 'AddTimeSlot', templateId: 'A', range });
      expect([error.code, error.errors.map((e) => e.path)]).toEqual([code, [path]]);
    });

    it('RemoveTimeSlot (the "X") removes the slot, matching 00:00 and 24:00 ends; an unknown slot is 404', () => {
      const withNight = given(create, { ...addA, ranges: [r('fri', '18:00', '24:00'), r('mon', '09:00', '17:00')] });
      const [event] = when(withNight, { type: 'RemoveTimeSlot', templateId: 'A', range: r('fri', '18:00', '00:00') });
      expect(event?.data).toMatchObject({ range: r('fri', '18:00', '24:00'), schedule: { templates: [{ ranges: [r('mon', '09:00', '17:00')] }] } });
      expect(refused(withNight, { type: 'RemoveTimeSlot', templateId: 'A', range: r('tue', '09:00', '17:00') }).code).toBe('SCHEDULE.SLOT_NOT_FOUND');
    });
  });

  describe('rotation', () => {
    const twoTemplates = given(create, addA, addB);

    it('ActivateRotation sets the anchor and the first template; the same again changes nothing', () => {
      const [event] = when(twoTemplates, { type: 'ActivateRotation', anchorDate: '2026-01-05', firstTemplateId: 'B' });
      expect(event?.data).toMatchObject({ rotation: { active: true, anchorDate: '2026-01-05', firstTemplateId: 'B' } });
      expect(when([...twoTemplates, event!], { type: 'ActivateRotation', anchorDate: '2026-01-05', firstTemplateId: 'B' })).toEqual([]);
    });

    it.each<[string, Cmd, string, string]>([
      ['an impossible anchor date', { type: 'ActivateRotation', anchorDate: '2026-02-30', firstTemplateId: 'A' }, 'SCHEDULE.INVALID_ANCHOR', 'anchorDate'],
      ['an unknown first template', { type: 'ActivateRotation', anchorDate: '2026-01-05', firstTemplateId: 'Z' }, 'SCHEDULE.TEMPLATE_NOT_FOUND', 'firstTemplateId'],
    ])('ActivateRotation refuses %s', (_name, command, code, path) => {
      const error = refused(twoTemplates, command);
      expect([error.code, error.errors.map((e) => e.path)]).toEqual([code, [path]]);
    });

    it("DeactivateRotation keeps this week's template for every week; when already off it changes nothing", () => {
      const rotating = given(create, addA, addB, rotateFromA);
      const inWeekB = { now: new Date('2026-01-14T10:00:00Z') };
      expect(when(rotating, { type: 'DeactivateRotation', ...inWeekB })).toEqual([
        {
          type: 'ScheduleRotationDeactivated',
          data: expect.objectContaining({ rotation: { active: false, anchorDate: '2026-01-05', firstTemplateId: 'B' }, templateInEffect: 'B' }),
        },
      ]);
      expect(when(twoTemplates, { type: 'DeactivateRotation' })).toEqual([]);
    });

    describe('DeleteTemplate', () => {
      const threeRotating = given(create, addA, addB, addC, rotateFromA);
      const inWeek1 = new Date('2026-01-14T10:00:00Z'); // week 1 of A, B, C: B in effect

      it('deleting another template re-anchors at this Monday so this week keeps its template', () => {
        expect(when(threeRotating, { type: 'DeleteTemplate', templateId: 'C', force: false, now: inWeek1 })).toEqual([
          {
            type: 'ScheduleTemplateDeleted',
            data: expect.objectContaining({
              templateId: 'C',
              rotationBefore: { active: true, anchorDate: '2026-01-05', firstTemplateId: 'A' },
              rotation: { active: true, anchorDate: '2026-01-12', firstTemplateId: 'B' },
              reanchored: true,
              templateInEffect: 'B',
              forced: false,
            }),
          },
        ]);
      });

      it('the re-anchored cycle continues in the new order (B this week, A next)', () => {
        const after = [...threeRotating, ...when(threeRotating, { type: 'DeleteTemplate', templateId: 'C', force: false, now: inWeek1 })];
        expect(evaluateSchedule(schedule(after), inWeek1).week).toEqual({ index: 0, templateId: 'B' });
        expect(evaluateSchedule(schedule(after), new Date('2026-01-21T10:00:00Z')).week).toEqual({ index: 1, templateId: 'A' });
      });

      it('the template in effect now is refused with 409 SCHEDULE.TEMPLATE_IN_USE unless forced', () => {
        const error = refused(threeRotating, { type: 'DeleteTemplate', templateId: 'B', force: false, now: inWeek1 });
        expect([error.code, error.kind, error.details]).toEqual(['SCHEDULE.TEMPLATE_IN_USE', 'conflict', { weekIndex: 1 }]);
      });

      it('forced, the next template in order takes over at once', () => {
        const [event] = when(threeRotating, { type: 'DeleteTemplate', templateId: 'B', force: true, now: inWeek1 });
        expect(event?.data).toMatchObject({ rotation: { active: true, anchorDate: '2026-01-12', firstTemplateId: 'C' }, templateInEffect: 'C', forced: true });
      });

      it('the re-anchor Monday is the local one (Berlin is already on Monday at 23:30 UTC Sunday)', () => {
        const berlin = given({ ...create, timezone: 'Europe/Berlin' }, addA, addB, addC, rotateFromA);
        const [event] = when(berlin, { type: 'DeleteTemplate', templateId: 'A', force: false, now: new Date('2026-01-11T23:30:00Z') });
        expect(event?.data).toMatchObject({ rotation: { anchorDate: '2026-01-12', firstTemplateId: 'B' }, templateInEffect: 'B' });
      });

      it('the only template of a custom schedule cannot be deleted, even forced (409 SCHEDULE.LAST_TEMPLATE)', () => {
        expect(refused(given(create, addA), { type: 'DeleteTemplate', templateId: 'A', force: true }).code).toBe('SCHEDULE.LAST_TEMPLATE');
      });

      it('in 24/7 mode nothing is in effect: the last template goes and the rotation with it', () => {
        const always = given(create, addA, rotateFromA, { type: 'SetScheduleMode', mode: '24/7' });
        expect(when(always, { type: 'DeleteTemplate', templateId: 'A', force: false })[0]?.data).toMatchObject({
          rotation: null,
          templateInEffect: null,
          schedule: { templates: [], rotation: null },
        });
      });

      it('rotation off: deleting a template not in use changes neither anchor nor first', () => {
        const fixed = given(create, addA, addB, addC);
        expect(when(fixed, { type: 'DeleteTemplate', templateId: 'B', force: false })[0]?.data).toMatchObject({ rotation: null, reanchored: false, templateInEffect: 'A' });
      });

      it('rotation off: forcing out the first template makes its successor first', () => {
        const fixed = given(create, addA, addB, rotateFromA, { type: 'DeactivateRotation', now: new Date('2026-01-07T10:00:00Z') });
        expect(when(fixed, { type: 'DeleteTemplate', templateId: 'A', force: true })[0]?.data).toMatchObject({
          rotation: { active: false, anchorDate: '2026-01-05', firstTemplateId: 'B' },
          templateInEffect: 'B',
        });
      });
    });
  });

  describe('exceptions', () => {
    it('AddException adds it; the identical exception again changes nothing; a different one with its id is 409', () => {
      const [event] = when(created, { type: 'AddException', exception: christmas });
      expect(event).toEqual({ type: 'ScheduleExceptionAdded', data: expect.objectContaining({ exception: christmas }) });
      const withXmas = [...created, event!];
      expect(when(withXmas, { type: 'AddException', exception: christmas })).toEqual([]);
      expect(refused(withXmas, { type: 'AddException', exception: { ...christmas, label: 'Xmas' } }).code).toBe('SCHEDULE.EXCEPTION_EXISTS');
    });

    it.each<[string, ScheduleException, string, string]>([
      ['an unusable RRULE', { ...christmas, when: { ...christmas.when, rrule: 'FREQ=MINUTELY' } } as ScheduleException, 'SCHEDULE.INVALID_RRULE', 'exception.when.rrule'],
      ['dates ending before they start', { ...boxingDay, when: { kind: 'dates', from: '2026-12-26', to: '2026-12-20' } }, 'SCHEDULE.INVALID_EXCEPTION', 'exception.when.to'],
      [
        'overlapping open hours',
        { exceptionId: 'o', label: 'Late opening', effect: 'open', hours: [{ start: '09:00', end: '12:00' }, { start: '10:00', end: '11:00' }], when: boxingDay.when },
        'SCHEDULE.INVALID_EXCEPTION',
        'exception.hours[1]',
      ],
    ])('AddException refuses %s', (_name, exception, code, path) => {
      const error = refused(created, { type: 'AddException', exception });
      expect([error.code, error.errors.map((e) => e.path)]).toEqual([code, [path]]);
    });

    it('RemoveException removes it; an unknown id is 404', () => {
      const withXmas = given(create, { type: 'AddException', exception: christmas });
      expect(when(withXmas, { type: 'RemoveException', exceptionId: 'xmas' })[0]?.data).toMatchObject({ exceptionId: 'xmas', schedule: { exceptions: [] } });
      expect(refused(withXmas, { type: 'RemoveException', exceptionId: 'easter' }).code).toBe('SCHEDULE.EXCEPTION_NOT_FOUND');
    });

    it('ImportExceptions adds new ids, replaces changed ones in place and reports the source', () => {
      const withXmas = given(create, { type: 'AddException', exception: christmas }, { type: 'AddException', exception: boxingDay });
      const [event] = when(withXmas, {
        type: 'ImportExceptions',
        source: 'uk.ics',
        exceptions: [{ ...christmas, label: 'Christmas' }, boxingDay, { ...boxingDay, exceptionId: 'ny', label: 'New Year', when: { kind: 'dates', from: '2027-01-01', to: '2027-01-01' } }],
      });
      expect(event?.data).toMatchObject({ added: ['ny'], replaced: ['xmas'], source: 'uk.ics' });
      expect(schedule([...withXmas, event!]).exceptions.map((e) => [e.exceptionId, e.label])).toEqual([
        ['xmas', 'Christmas'],
        ['boxing', 'Boxing Day'],
        ['ny', 'New Year'],
      ]);
      expect(when(withXmas, { type: 'ImportExceptions', source: null, exceptions: [christmas, boxingDay] })).toEqual([]);
    });

    it('ImportExceptions refuses an id given twice and invalid entries, with their index', () => {
      const dup = refused(created, { type: 'ImportExceptions', source: null, exceptions: [christmas, boxingDay, christmas] });
      expect([dup.code, dup.errors.map((e) => e.path)]).toEqual(['SCHEDULE.INVALID_EXCEPTION', ['exceptions[2].exceptionId']]);
      const bad = refused(created, { type: 'ImportExceptions', source: null, exceptions: [christmas, { ...boxingDay, when: { kind: 'dates', from: '2026-02-30', to: '2026-03-01' } }] });
      expect([bad.code, bad.errors.map((e) => e.path)]).toEqual(['SCHEDULE.INVALID_EXCEPTION', ['exceptions[1].when.from']]);
    });

    it('has no fixed cap on exceptions (a decade of holidays, then one more)', () => {
      const many: ScheduleException[] = Array.from({ length: 1500 }, (_, i) => ({
        exceptionId: `day-${i}`,
        label: `Closure ${i}`,
        effect: 'closed',
        when: { kind: 'dates', from: '2030-01-01', to: '2030-01-01' },
      }));
      const imported = given(create, { type: 'ImportExceptions', source: null, exceptions: many });
      expect(when(imported, { type: 'AddException', exception: christmas })[0]?.data.schedule.exceptions).toHaveLength(1501);
    });
  });

  describe('emergency override', () => {
    it('SetEmergencyOverride records who and when; it beats the rules until it expires', () => {
      const withA = given(create, addA);
      const [event] = when(withA, { type: 'SetEmergencyOverride', state: 'closed', reason: 'Fire alarm', expiresAt: new Date('2026-01-07T12:00:00Z') });
      const emergency = { state: 'closed', reason: 'Fire alarm', by: 'user:admin@acme.test', at: '2026-01-07T10:00:00.000Z', expiresAt: '2026-01-07T12:00:00.000Z' };
      expect(event?.data).toMatchObject({ emergency, schedule: { emergency } });
      const evaluation = evaluateSchedule(schedule([...withA, event!]), NOW);
      expect([evaluation.open, evaluation.nextTransition?.toISOString()]).toEqual([false, '2026-01-07T12:00:00.000Z']);
    });

    it('an override without expiry lasts until cleared', () => {
      const [event] = when(created, { type: 'SetEmergencyOverride', state: 'open', reason: 'Storm line', expiresAt: null });
      expect(event?.data).toMatchObject({ emergency: { state: 'open', expiresAt: null } });
    });

    it.each<[string, Cmd, string, string]>([
      ['an expiry not after now', { type: 'SetEmergencyOverride', state: 'closed', reason: 'x', expiresAt: NOW }, 'SCHEDULE.EXPIRY_IN_PAST', 'expiresAt'],
      ['an empty reason', { type: 'SetEmergencyOverride', state: 'closed', reason: ' ', expiresAt: null }, 'SCHEDULE.INVALID_NAME', 'reason'],
    ])('SetEmergencyOverride refuses %s', (_name, command, code, path) => {
      const error = refused(created, command);
      expect([error.code, error.errors.map((e) => e.path)]).toEqual([code, [path]]);
    });

    it('ClearEmergencyOverride clears it and keeps it in the event; with none set it changes nothing', () => {
      const withOverride = given(create, { type: 'SetEmergencyOverride', state: 'closed', reason: 'Flood', expiresAt: null });
      expect(when(withOverride, { type: 'ClearEmergencyOverride' })[0]?.data).toMatchObject({ previous: { reason: 'Flood' }, schedule: { emergency: null } });
      expect(when(created, { type: 'ClearEmergencyOverride' })).toEqual([]);
    });
  });

  it('DeleteSchedule deletes it, carrying its last definition', () => {
    const withA = given(create, addA);
    expect(when(withA, { type: 'DeleteSchedule' })).toEqual([{ type: 'ScheduleDeleted', data: { schedule: schedule(withA) } }]);
  });

  it('evolve takes the schedule every event carries', () => {
    const events = given(create, addA, addB, rotateFromA, { type: 'AddException', exception: christmas });
    expect(fold(events)).toEqual({ status: 'active', schedule: events.at(-1)!.data.schedule });
  });
});

describe('deleted schedule', () => {
  const deleted = given(create, addA, { type: 'DeleteSchedule' });

  it('keeps its last definition', () => {
    expect(fold(deleted)).toEqual({ status: 'deleted', schedule: expect.objectContaining({ scheduleId: 'main', templates: [expect.objectContaining({ templateId: 'A' })] }) });
  });

  it.each<Cmd>([create, addB, { type: 'SetScheduleMode', mode: '24/7' }, { type: 'DeleteSchedule' }, { type: 'ClearEmergencyOverride' }])(
    '$type is 410 SCHEDULE.DELETED',
    (command) => {
      const error = refused(deleted, command);
      expect([error.code, error.kind]).toEqual(['SCHEDULE.DELETED', 'gone']);
    },
  );
});
