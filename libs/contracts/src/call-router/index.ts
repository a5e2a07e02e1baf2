// Public API of the call-router's contracts: call-flow graphs, route plans and traces, messages,
// routing events and their subjects, stream ids, error codes.
export * from './call-flow';
export * from './route-plan';
export * from './messages';
export * from './events';
export * from './routing-subjects';
export * from './error-codes';
export * from './call-flow-rpc';
export * from './sip-edge';
export * from './routing-publication';
export * from './call-log';
export * from './webhooks';
