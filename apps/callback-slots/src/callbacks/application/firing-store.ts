// The fire path's own connections to the event store: a fire is one read of the booking and one append
// (the gate), and must not queue behind the projection, the relay or attempt bookkeeping sharing the
// service's pool. Same store (schema, or KurrentDB), a small pool of its own; worker role only.
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { dbSchemaOf } from '@cc/contracts';
import { KurrentDbEventStore, PostgresEventStore, type EventStore } from '@cc/event-store';
import { CommandExecutor, type BaseConfig, type Clock } from '@cc/platform';

export const FIRING_EVENT_STORE = Symbol('FIRING_EVENT_STORE');
export const FIRING_EXECUTOR = Symbol('FIRING_EXECUTOR');

const FIRING_POOL_SIZE = 5;

export async function createFiringStore(config: BaseConfig): Promise<EventStore> {
  if (config.EVENTSTORE_URL) return KurrentDbEventStore.create({ connectionString: config.EVENTSTORE_URL });
  return PostgresEventStore.create({
    connectionString: config.DATABASE_URL,
    schema: `${config.INSTANCE_PREFIX}${dbSchemaOf('callback-slots')}`,
    poolSize: FIRING_POOL_SIZE,
  });
}

export const firingExecutorOf = (store: EventStore, clock: Clock): CommandExecutor => new CommandExecutor(store, clock);

/** Closes the fire path's store when the application stops (after the worker drained). */
@Injectable()
export class FiringStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(FIRING_EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
