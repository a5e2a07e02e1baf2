// Hands one batch to a subscription handler, retrying the same batch with exponential back-off until it
// succeeds or the subscription stops: a failing projection stalls (and says so), it never skips events.
import type { EventStoreLogger } from './event-store-logger';
import type { RecordedEvent, SubscribeAllOptions } from './event-store.port';

export const FIRST_RETRY_DELAY_MS = 100;
export const MAX_RETRY_DELAY_MS = 10_000;

export function retryDelayMs(attempt: number): number {
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.min(attempt - 1, 20), MAX_RETRY_DELAY_MS);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** True when the handler accepted the batch; false when the subscription stopped before it did. */
export async function deliverBatch(
  events: RecordedEvent[],
  options: Pick<SubscribeAllOptions, 'handler' | 'onError' | 'checkpointName'>,
  stopSignal: AbortSignal,
  logger: EventStoreLogger,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await options.handler(events);
      return true;
    } catch (error) {
      if (options.onError) {
        try {
          options.onError(error, attempt);
        } catch (callbackError) {
          logger.warn('subscription onError callback threw', { checkpointName: options.checkpointName, callbackError });
        }
      } else {
        logger.warn('subscription handler failed; retrying the same batch', {
          checkpointName: options.checkpointName,
          attempt,
          error,
        });
      }
      if (stopSignal.aborted) return false;
      await delay(retryDelayMs(attempt), stopSignal);
      if (stopSignal.aborted) return false;
    }
  }
}
