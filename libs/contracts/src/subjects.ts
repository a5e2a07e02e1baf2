// Every NATS subject and JetStream stream name is built here, and only here.
import type { ServiceName } from './services';

const token = (s: string): string => {
  if (!/^[A-Za-z0-9_-]+$/.test(s)) throw new Error(`not a NATS subject token: "${s}"`);
  return s;
};

/** JetStream stream holding one service's domain events: `evt.{service}.{tenant}.{type}`. */
export const eventStreamName = (service: ServiceName): string => `EVT_${service.toUpperCase().replace(/-/g, '_')}`;
export const eventSubjectsOf = (service: ServiceName): string => `evt.${service}.>`;
export const eventSubject = (service: ServiceName, tenantId: string, type: string): string =>
  `evt.${service}.${token(tenantId)}.${token(type)}`;
export const eventSubjectFilter = (service: ServiceName, tenantId = '*', type = '*'): string =>
  `evt.${service}.${tenantId === '*' ? '*' : token(tenantId)}.${type === '*' ? '*' : token(type)}`;

/** Dead letters: a consumer that cannot process a message parks it here with a reason header. */
export const DEAD_LETTER_STREAM = 'DEADLETTER';
export const deadLetterSubject = (consumer: string): string => `dlq.${token(consumer)}`;

/** Request-reply subjects: `{service}.{verb}`. */
export const rpcSubject = (service: ServiceName, verb: string): string => `${service}.${verb}`;
