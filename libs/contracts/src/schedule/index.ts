// Public API of the schedule service's contracts: definition schema, events, messages (NATS and HTTP shapes), stream ids, error codes.
export * from './schedule-definition';
export * from './events';
export * from './messages';
export * from './schedule-http';
export * from './stream-ids';
export * from './error-codes';
