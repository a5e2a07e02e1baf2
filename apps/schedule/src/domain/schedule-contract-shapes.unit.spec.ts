// Proves the pure evaluator (@cc/scheduling) and the wire contracts (@cc/contracts) describe the same
// data, at compile time (mutual assignability) and at run time (evaluator output parses as a reply).
import { IsOpenResponseSchema, PreviewScheduleResponseSchema, exampleScheduleDefinition, type DecidedByData, type ScheduleDefinitionData } from '@cc/contracts';
import { evaluateSchedule, previewSchedule, type DecidedBy, type ScheduleDefinition } from '@cc/scheduling';

type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const shapesMatch: [SameShape<DecidedBy, DecidedByData>, SameShape<ScheduleDefinition, ScheduleDefinitionData>] = [true, true];

describe('evaluator and contracts agree', () => {
  it('have the same types', () => expect(shapesMatch).toEqual([true, true]));

  it.each(['2026-01-05T10:00:00Z', '2026-01-05T20:00:00Z', '2026-12-25T10:00:00Z', '2026-03-07T11:00:00Z'])('an isOpen answer at %s parses as the reply schema', (at) => {
    const out = evaluateSchedule(exampleScheduleDefinition, new Date(at));
    const reply = {
      scheduleId: exampleScheduleDefinition.scheduleId,
      at: new Date(at).toISOString(),
      open: out.open,
      decidedBy: out.decidedBy,
      nextTransition: out.nextTransition?.toISOString() ?? null,
      ...(out.week ? { week: out.week } : {}),
    };
    expect(IsOpenResponseSchema.parse(reply)).toEqual(reply);
  });

  it('a preview parses as the reply schema', () => {
    const from = new Date('2026-03-02T00:00:00Z');
    const to = new Date('2026-03-09T00:00:00Z');
    const intervals = previewSchedule(exampleScheduleDefinition, from, to).map((i) => ({ start: i.start.toISOString(), end: i.end.toISOString(), decidedBy: i.decidedBy }));
    expect(intervals.length).toBeGreaterThan(0);
    const reply = { scheduleId: 'main-line', from: from.toISOString(), to: to.toISOString(), timezone: 'Europe/London', intervals };
    expect(PreviewScheduleResponseSchema.parse(reply)).toEqual(reply);
  });
});
