// Projects the router's own call-flow events from its event store into the replica snapshot (the call
// flows are ours: the store, not JetStream, is their source of truth), compacted like the other sources.
// Gap-free and durable (ProjectionRunner); a starting instance loads its replica of our flows from it.
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '@cc/event-store';
import type { Projection } from '@cc/platform';
import { callFlowSource } from './replica-sources';
import type { ReplicaSnapshotRepository } from './replica-snapshot.repository';

/** `callflow-{tenant}-{digits}` (toCallFlowStreamId). */
export const CALL_FLOW_STREAM_PREFIX = 'callflow-';

export class CallFlowSnapshotProjection implements Projection {
  readonly name = 'call-flow-snapshot-v1';
  readonly streamPrefixes = [CALL_FLOW_STREAM_PREFIX];

  constructor(private readonly snapshot: ReplicaSnapshotRepository) {}

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    // Every instance runs this projection into the same rows: one batch at a time across them.
    await manager.query(`select pg_advisory_xact_lock(hashtext(current_schema() || '.call-flow-snapshot'))`);
    for (const recorded of events) {
      // Our own events: one that does not parse is a bug to fix, not something to skip (the batch is retried).
      const event = callFlowSource.parse(recorded);
      await this.snapshot.upsert(
        {
          source: 'call-router',
          streamId: recorded.streamId,
          compactionKey: callFlowSource.compactionKey(event),
          tenantId: recorded.tenantId,
          revision: recorded.revision,
          type: recorded.type,
          version: recorded.version,
          data: recorded.data,
          occurredAt: recorded.occurredAt,
          expiresAt: null,
        },
        manager,
      );
    }
  }
}
