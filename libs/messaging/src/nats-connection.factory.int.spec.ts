// connectNats against a real server: connects with our reconnect policy, and fails fast (rather than
// hanging the boot) when nothing listens at the URL.
import { NATS_URL } from '../test/messaging-test.fixture';
import { connectNats } from './nats-connection.factory';
import type { MessagingLogger } from './messaging.logger';

jest.setTimeout(30_000);

const silent: MessagingLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('connectNats (real NATS)', () => {
  it('connects with infinite reconnects and a comma-separated server list', async () => {
    const nc = await connectNats({ servers: `${NATS_URL}, ${NATS_URL}`, name: 'messaging-test', logger: silent });
    try {
      expect(nc.isClosed()).toBe(false);
      await nc.flush();
      const options = (nc as unknown as { options: { maxReconnectAttempts: number; name: string } }).options;
      expect(options).toMatchObject({ maxReconnectAttempts: -1, name: 'messaging-test' });
    } finally {
      await nc.close();
    }
  });

  it('rejects at once when no server listens, instead of waiting forever', async () => {
    await expect(connectNats({ servers: 'nats://127.0.0.1:1', name: 'messaging-test', logger: silent })).rejects.toThrow();
  });
});
