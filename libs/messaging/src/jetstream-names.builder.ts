// Stream and subject names as this process sees them: the contract builders (libs/contracts/subjects.ts),
// optionally under a namespace so tests (or environments sharing one NATS) never collide.
import {
  DEAD_LETTER_STREAM,
  deadLetterSubject,
  eventStreamName,
  eventSubject,
  eventSubjectFilter,
  eventSubjectsOf,
  type ServiceName,
} from '@cc/contracts';

/**
 * `dlq.>`: every dead-letter subject. Defined here until libs/contracts has a builder for it
 * (asked of the lead); it must stay the wildcard of `deadLetterSubject(consumer)`.
 */
export const DEAD_LETTER_SUBJECTS_LOCAL = 'dlq.>';

export type JetStreamNames = {
  /** null in production: names are exactly the contract's. */
  readonly namespace: string | null;
  eventStream(service: ServiceName): string;
  /** The stream's subject wildcard: `evt.{service}.>`. */
  eventSubjects(service: ServiceName): string;
  eventSubject(service: ServiceName, tenantId: string, type: string): string;
  eventFilter(service: ServiceName, tenantId?: string, type?: string): string;
  readonly deadLetterStream: string;
  readonly deadLetterSubjects: string;
  deadLetterSubject(consumer: string): string;
};

const NAMESPACE = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * Without a namespace the names are the contract's verbatim. With namespace `t-1a2b3c4d`, streams become
 * `t-1a2b3c4d_EVT_DIVERT` and subjects `t-1a2b3c4d.evt.divert.acme.DivertRuleSet` (stream names may not
 * contain dots, subjects may not share a wildcard with another stream's, so both are prefixed).
 */
export function jetStreamNames(namespace?: string | null): JetStreamNames {
  if (namespace === undefined || namespace === null || namespace === '') {
    return {
      namespace: null,
      eventStream: eventStreamName,
      eventSubjects: eventSubjectsOf,
      eventSubject,
      eventFilter: eventSubjectFilter,
      deadLetterStream: DEAD_LETTER_STREAM,
      deadLetterSubjects: DEAD_LETTER_SUBJECTS_LOCAL,
      deadLetterSubject,
    };
  }
  if (!NAMESPACE.test(namespace)) {
    throw new Error(`JetStream namespace "${namespace}" must be 1-32 chars of a-z, 0-9 or "-"`);
  }
  const stream = (name: string): string => `${namespace}_${name}`;
  const subject = (s: string): string => `${namespace}.${s}`;
  return {
    namespace,
    eventStream: (service) => stream(eventStreamName(service)),
    eventSubjects: (service) => subject(eventSubjectsOf(service)),
    eventSubject: (service, tenantId, type) => subject(eventSubject(service, tenantId, type)),
    eventFilter: (service, tenantId, type) => subject(eventSubjectFilter(service, tenantId, type)),
    deadLetterStream: stream(DEAD_LETTER_STREAM),
    deadLetterSubjects: subject(DEAD_LETTER_SUBJECTS_LOCAL),
    deadLetterSubject: (consumer) => subject(deadLetterSubject(consumer)),
  };
}
