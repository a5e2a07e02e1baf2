// Waiting on something asynchronous: a NATS message that matches, or a condition over a read model.
import type { NatsConnection, Subscription } from 'nats';

const decoder = new TextDecoder();

/** Subscribes now and resolves with the first message on `subject` that matches. Subscribe BEFORE acting. */
export function nextMessage<T = unknown>(
  nc: NatsConnection,
  subject: string,
  match: (payload: T) => boolean = () => true,
  timeoutMs = 10_000,
): { promise: Promise<T>; cancel: () => void } {
  let sub: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve, reject) => {
    sub = nc.subscribe(subject);
    timer = setTimeout(() => {
      sub?.unsubscribe();
      reject(new Error(`no matching message on ${subject} within ${timeoutMs} ms`));
    }, timeoutMs);
    void (async () => {
      for await (const message of sub!) {
        const payload = JSON.parse(decoder.decode(message.data)) as T;
        if (match(payload)) {
          clearTimeout(timer);
          sub!.unsubscribe();
          resolve(payload);
          return;
        }
      }
    })();
  });
  return { promise, cancel: () => { clearTimeout(timer); sub?.unsubscribe(); } };
}

/** Re-evaluates `probe` until it returns a defined value (for eventually-consistent read models). */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
