// Public API of the divert service's contracts: rules, events, messages, subjects, stream ids, error codes.
export * from './rules';
export * from './events';
export * from './divert-resolution';
export * from './messages';
export * from './stream-ids';
export * from './error-codes';
