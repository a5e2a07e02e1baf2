// Both adapters refuse the same malformed subscription options up front, so a typo fails at start-up
// instead of silently delivering nothing.
import type { SubscribeAllOptions } from './event-store.port';

export function validateSubscribeOptions(options: SubscribeAllOptions): void {
  if (typeof options.checkpointName !== 'string' || options.checkpointName.length === 0) {
    throw new TypeError('checkpointName must be a non-empty string');
  }
  if (options.batchSize !== undefined && (!Number.isSafeInteger(options.batchSize) || options.batchSize < 1)) {
    throw new TypeError(`batchSize must be a positive integer (got ${options.batchSize})`);
  }
  if (options.streamPrefixes !== undefined) {
    if (options.streamPrefixes.length === 0) throw new TypeError('streamPrefixes must not be empty (omit it to get all streams)');
    if (options.streamPrefixes.some((prefix) => typeof prefix !== 'string' || prefix.length === 0)) {
      throw new TypeError('streamPrefixes must be non-empty strings');
    }
  }
  if (options.startFrom !== undefined && options.startFrom !== 'start' && options.startFrom !== 'end') {
    throw new TypeError(`startFrom must be 'start' or 'end' (got ${String(options.startFrom)})`);
  }
}
