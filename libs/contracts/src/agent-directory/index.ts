// Public API of agent-directory's contracts: views, events, messages, stream ids, error codes.
export * from './tenant-view';
export * from './agent-view';
export * from './login-view';
export * from './device-state';
export * from './events';
export * from './messages';
export * from './stream-ids';
export * from './error-codes';
