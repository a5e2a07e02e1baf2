// Public API of the callback-slots service's contracts: definitions, events, messages, stream ids, error codes.
export * from './call-slot-definition';
export * from './events';
export * from './stream-ids';
export * from './error-codes';
export * from './messages';
export * from './callback-dispatch';
export * from './campaigns';
