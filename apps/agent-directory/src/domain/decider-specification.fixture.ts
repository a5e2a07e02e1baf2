// Given/when/then for deciders (Emmett's DeciderSpecification): given these events, when this command,
// then these events or this error. Every emitted event is also checked against its contract schema, so a
// decider can never emit data a consumer would dead-letter.
import { DomainError, foldEvents, parseAgentDirectoryEvent, type Decider } from '@cc/contracts';

type Emitted = { type: string; data: unknown };

export function specificationOf<S, C, E extends Emitted>(decider: Decider<S, C, E>) {
  return (given: readonly E[]) => ({
    when: (command: C) => {
      const run = (): E[] => {
        const events = decider.decide(command, foldEvents(decider, given));
        for (const event of events) parseAgentDirectoryEvent({ type: event.type, version: 1, data: event.data });
        return events;
      };
      return {
        then: (expected: readonly E[]): void => expect(run()).toEqual(expected),
        thenNothing: (): void => expect(run()).toEqual([]),
        /** The emitted events, for assertions on parts of them. */
        events: (): E[] => run(),
        thenError: (code: string, expected: Partial<Pick<DomainError, 'kind' | 'errors' | 'details'>> = {}): DomainError => {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(DomainError);
          expect(thrown).toMatchObject({ code, ...expected });
          return thrown as DomainError;
        },
      };
    },
  });
}
