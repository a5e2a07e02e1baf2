// Runs the shared contract against a real KurrentDB when EVENTSTORE_URL is set (docker-compose starts one);
// without it the suite shows up as one visibly skipped test instead of silently passing.
import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../event-store.contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const url = process.env.EVENTSTORE_URL;
const SKIPPED = 'KurrentDB contract suite SKIPPED: set EVENTSTORE_URL=esdb://localhost:2113?tls=false to run it';

if (url) {
  describeEventStoreContract('KurrentDB', async () => {
    // Each test writes under its own stream prefix; checkpoints get their own prefix per test run as well.
    const store = await KurrentDbEventStore.create({
      connectionString: url,
      checkpointStreamPrefix: `$cc-checkpoint-test-${randomUUID().slice(0, 8)}-`,
    });
    return { store, cleanup: () => store.close() };
  });
} else {
  console.warn(SKIPPED);
  describe('KurrentDbEventStore', () => {
    it.skip(SKIPPED, () => undefined);
  });
}
