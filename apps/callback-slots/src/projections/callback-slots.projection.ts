// Projects the call slot and occurrence streams into the read models: call_slots, bookings and
// occurrence_loads. At-least-once delivery: every change is guarded by the stream revision the row
// last applied, so a redelivered batch changes nothing. No business rule here: events say what happened.
// Occurrence events (the hot path) are applied a batch at a time in a fixed number of statements.
import type { EntityManager } from 'typeorm';
import {
  CALL_SLOT_STREAM_PREFIX,
  TIME_SLOT_STREAM_PREFIX,
  parseCallbackSlotsEvent,
  type CallSlotEvent,
  type TimeSlotEvent,
} from '@cc/contracts';
import type { RecordedEvent } from '@cc/event-store';
import type { Projection } from '@cc/platform';

export const CALLBACK_SLOTS_PROJECTION = 'callback-slots-read-models-v1';

export class CallbackSlotsProjection implements Projection {
  readonly name = CALLBACK_SLOTS_PROJECTION;
  readonly streamPrefixes = [`${CALL_SLOT_STREAM_PREFIX}-`, `${TIME_SLOT_STREAM_PREFIX}-`];

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    const occurrenceEvents: { recorded: RecordedEvent; event: TimeSlotEvent }[] = [];
    for (const recorded of events) {
      const event = parseCallbackSlotsEvent(recorded);
      if (recorded.streamId.startsWith(`${CALL_SLOT_STREAM_PREFIX}-`)) {
        // Rare (operators' edits): one statement each, in order with nothing else pending.
        await applyOccurrenceEvents(manager, occurrenceEvents.splice(0));
        await applyCallSlotEvent(manager, recorded, event as CallSlotEvent);
      } else {
        occurrenceEvents.push({ recorded, event: event as TimeSlotEvent });
      }
    }
    await applyOccurrenceEvents(manager, occurrenceEvents);
  }
}

async function applyCallSlotEvent(manager: EntityManager, recorded: RecordedEvent, event: CallSlotEvent): Promise<void> {
  const { tenantId, revision, occurredAt } = recorded;
  const guard = `where call_slots.revision < $3`;
  switch (event.type) {
    case 'CallSlotCreated':
    case 'CallSlotUpdated': {
      const { changed: _c, grid: _g, ...definition } = event.data as typeof event.data & { changed?: unknown; grid?: unknown };
      await manager.query(
        `insert into call_slots (tenant_id, call_slot_id, status, name, zone, definition, closed_dates, revision, updated_at)
         values ($1, $2, 'active', $4, $5, $6, '{}', $3, $7)
         on conflict (tenant_id, call_slot_id) do update set
           name = excluded.name, zone = excluded.zone, definition = excluded.definition, revision = excluded.revision,
           updated_at = excluded.updated_at
         ${guard}`,
        [tenantId, definition.callSlotId, revision, definition.name, definition.zone, JSON.stringify(definition), occurredAt],
      );
      return;
    }
    case 'CallSlotDeleted':
      await manager.query(`update call_slots set status = 'deleted', revision = $3, updated_at = $4 where tenant_id = $1 and call_slot_id = $2 and revision < $3`, [
        tenantId,
        event.data.callSlotId,
        revision,
        occurredAt,
      ]);
      return;
    case 'OccurrenceClosed':
      await manager.query(
        `update call_slots set closed_dates = array(select distinct d from unnest(array_append(closed_dates, $4)) d order by d),
           revision = $3, updated_at = $5
         where tenant_id = $1 and call_slot_id = $2 and revision < $3`,
        [tenantId, event.data.callSlotId, revision, event.data.date, occurredAt],
      );
      return;
    case 'OccurrenceReopened':
      await manager.query(
        `update call_slots set closed_dates = array_remove(closed_dates, $4), revision = $3, updated_at = $5
         where tenant_id = $1 and call_slot_id = $2 and revision < $3`,
        [tenantId, event.data.callSlotId, revision, event.data.date, occurredAt],
      );
      return;
    default: {
      const _exhaustive: never = event;
      throw new Error(`unhandled call slot event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

type LoadRow = { tenantId: string; callSlotId: string; startIso: string; booked: number; capacityOverride: number | null; revision: number };

/**
 * The occurrence streams' events of a batch in four statements whatever its size (bookings are the hot
 * path: the projection must keep up with them): read the loads' current revisions, fold the events newer
 * than those in memory, then upsert the loads and write the bookings' inserts and cancellations.
 * Loads are written as absolute values computed from the row read plus the newer events, and only over
 * an older revision, so two projections applying the same events (two instances) agree.
 */
async function applyOccurrenceEvents(manager: EntityManager, events: { recorded: RecordedEvent; event: TimeSlotEvent }[]): Promise<void> {
  if (events.length === 0) return;
  const keyOf = (tenantId: string, callSlotId: string, startIso: string) => `${tenantId}\u0000${callSlotId}\u0000${startIso}`;
  const keys = new Map<string, { tenantId: string; callSlotId: string; startIso: string }>();
  for (const { recorded, event } of events) {
    keys.set(keyOf(recorded.tenantId, event.data.callSlotId, event.data.startIso), {
      tenantId: recorded.tenantId,
      callSlotId: event.data.callSlotId,
      startIso: event.data.startIso,
    });
  }
  const current = (await manager.query(
    `select l.tenant_id, l.call_slot_id, l.start_iso, l.booked, l.capacity_override, l.stream_revision
     from occurrence_loads l
     join jsonb_to_recordset($1::jsonb) as k(tenant_id text, call_slot_id text, start_iso text)
       on l.tenant_id = k.tenant_id and l.call_slot_id = k.call_slot_id and l.start_at = k.start_iso::timestamptz`,
    [JSON.stringify([...keys.values()].map((k) => ({ tenant_id: k.tenantId, call_slot_id: k.callSlotId, start_iso: k.startIso })))],
  )) as { tenant_id: string; call_slot_id: string; start_iso: string; booked: number; capacity_override: number | null; stream_revision: number }[];
  const loads = new Map<string, LoadRow>();
  for (const row of current) {
    loads.set(keyOf(row.tenant_id, row.call_slot_id, row.start_iso), {
      tenantId: row.tenant_id,
      callSlotId: row.call_slot_id,
      startIso: row.start_iso,
      booked: row.booked,
      capacityOverride: row.capacity_override,
      revision: row.stream_revision,
    });
  }

  const changed = new Set<string>();
  const booked: Record<string, unknown>[] = [];
  const cancelled: Record<string, unknown>[] = [];
  for (const { recorded, event } of events) {
    const key = keyOf(recorded.tenantId, event.data.callSlotId, event.data.startIso);
    const load = loads.get(key) ?? { ...keys.get(key)!, booked: 0, capacityOverride: null, revision: -1 };
    if (recorded.revision <= load.revision) continue; // applied before (redelivery, or another instance)
    load.revision = recorded.revision;
    switch (event.type) {
      case 'CallbackBooked': {
        const d = event.data;
        load.booked++;
        booked.push({
          tenant_id: recorded.tenantId,
          booking_id: d.bookingId,
          call_slot_id: d.callSlotId,
          start_iso: d.startIso,
          end_iso: d.endIso,
          callback_number: d.callbackNumber,
          caller_cli: d.callerCli,
          source: d.source,
          campaign_id: d.campaignId,
          idempotency_key: d.idempotencyKey,
          offer_session_id: d.offerSessionId,
          call_id: d.callId,
          rescheduled_from: d.rescheduledFrom,
          booked_at: recorded.occurredAt,
        });
        break;
      }
      case 'CallbackCancelled': {
        // The decider emits a cancellation only for a live booking, so each one frees exactly one place.
        const d = event.data;
        load.booked = Math.max(0, load.booked - 1);
        cancelled.push({
          tenant_id: recorded.tenantId,
          booking_id: d.bookingId,
          cancel_reason: d.reason,
          rescheduled_to: d.rescheduledTo,
          cancelled_at: recorded.occurredAt,
        });
        break;
      }
      case 'OccurrenceCapacityChanged':
        load.capacityOverride = event.data.capacity;
        break;
      default: {
        const _exhaustive: never = event;
        throw new Error(`unhandled time slot event ${JSON.stringify(_exhaustive)}`);
      }
    }
    loads.set(key, load);
    changed.add(key);
  }
  if (changed.size === 0) return;

  await manager.query(
    `insert into occurrence_loads (tenant_id, call_slot_id, start_at, start_iso, booked, capacity_override, stream_revision)
     select tenant_id, call_slot_id, start_iso::timestamptz, start_iso, booked, capacity_override, revision
     from jsonb_to_recordset($1::jsonb) as x(tenant_id text, call_slot_id text, start_iso text, booked integer, capacity_override integer, revision integer)
     on conflict (tenant_id, call_slot_id, start_at) do update set
       booked = excluded.booked, capacity_override = excluded.capacity_override, stream_revision = excluded.stream_revision
     where occurrence_loads.stream_revision < excluded.stream_revision`,
    [
      JSON.stringify(
        [...changed].map((key) => {
          const l = loads.get(key)!;
          return { tenant_id: l.tenantId, call_slot_id: l.callSlotId, start_iso: l.startIso, booked: l.booked, capacity_override: l.capacityOverride, revision: l.revision };
        }),
      ),
    ],
  );
  if (booked.length > 0) {
    await manager.query(
      `insert into bookings (tenant_id, booking_id, call_slot_id, start_at, start_iso, end_iso, status, callback_number, caller_cli,
         source, campaign_id, idempotency_key, offer_session_id, call_id, rescheduled_from, booked_at)
       select tenant_id, booking_id, call_slot_id, start_iso::timestamptz, start_iso, end_iso, 'booked', callback_number, caller_cli,
         source, campaign_id, idempotency_key, offer_session_id, call_id, rescheduled_from, booked_at
       from jsonb_to_recordset($1::jsonb) as x(tenant_id text, booking_id uuid, call_slot_id text, start_iso text, end_iso text,
         callback_number text, caller_cli text, source text, campaign_id text, idempotency_key text, offer_session_id uuid, call_id text,
         rescheduled_from jsonb, booked_at timestamptz)
       on conflict (tenant_id, booking_id) do nothing`,
      [JSON.stringify(booked)],
    );
  }
  if (cancelled.length > 0) {
    await manager.query(
      `update bookings b set status = 'cancelled', cancel_reason = x.cancel_reason, rescheduled_to = x.rescheduled_to, cancelled_at = x.cancelled_at
       from jsonb_to_recordset($1::jsonb) as x(tenant_id text, booking_id uuid, cancel_reason text, rescheduled_to jsonb, cancelled_at timestamptz)
       where b.tenant_id = x.tenant_id and b.booking_id = x.booking_id and b.status = 'booked'`,
      [JSON.stringify(cancelled)],
    );
  }
}
