// Appends the reporting events of an offer dialogue's step to `offersession-{tenant}-{sessionId}`, in
// envelopes like every other event of the service (ids, time, correlation, actor). The live session is
// in Redis; this stream is what reporting, analytics and the router's call log read.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { toOfferSessionStreamId, type EventEnvelope, type OfferSessionEvent } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { CLOCK, currentContext, EVENT_STORE, type Clock } from '@cc/platform';

@Injectable()
export class OfferEventsRecorder {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Appends after `revision` (null: the stream must not exist yet), so two instances can never
   * interleave one session's steps. Returns the stream's revision afterwards.
   */
  async append(tenantId: string, sessionId: string, events: readonly OfferSessionEvent[], revision: number | null, actor: string): Promise<number | null> {
    if (events.length === 0) return revision;
    const ctx = currentContext();
    const occurredAt = this.clock.now().toISOString();
    const correlationId = ctx?.correlationId ?? randomUUID();
    const envelopes: EventEnvelope[] = events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      version: 1,
      tenantId,
      occurredAt,
      correlationId,
      causationId: null,
      actor,
      data: event.data,
    }));
    const appended = await this.store.append(toOfferSessionStreamId(tenantId, sessionId), envelopes, revision === null ? 'no_stream' : revision);
    return appended.nextExpectedRevision;
  }
}
