// Per-request/per-message context (correlation id, tenant) carried through async calls, so every
// log line and every event written while handling a request carries the same correlation id.
import { AsyncLocalStorage } from 'node:async_hooks';

export type RequestContext = { correlationId: string; tenantId?: string; actor?: string };
export const requestContext = new AsyncLocalStorage<RequestContext>();
export const currentContext = (): RequestContext | undefined => requestContext.getStore();
