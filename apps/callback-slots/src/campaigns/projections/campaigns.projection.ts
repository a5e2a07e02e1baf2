// Projects campaigns into their read models: settings and status, what each item key stands for (or
// its last rejection), and what became of each campaign booking (cancelled, called back, failed). No
// rule here: events say what happened. Redelivered events change nothing (revision guards; booking
// statuses only move forward: a callback that completed stays completed when its booking is cancelled).
import type { EntityManager } from 'typeorm';
import {
  CALLBACK_STREAM_PREFIX,
  CAMPAIGN_ITEM_STREAM_PREFIX,
  CAMPAIGN_STREAM_PREFIX,
  campaignItemKeyHash,
  parseCallbackDispatchEvent,
  parseCallbackSlotsEvent,
  parseCampaignEvent,
  TIME_SLOT_STREAM_PREFIX,
} from '@cc/contracts';
import type { RecordedEvent } from '@cc/event-store';
import type { Projection } from '@cc/platform';

export const CAMPAIGNS_PROJECTION = 'campaigns-v1';

const CAMPAIGN = `${CAMPAIGN_STREAM_PREFIX}-`;
const ITEM = `${CAMPAIGN_ITEM_STREAM_PREFIX}-`;
const TIME_SLOT = `${TIME_SLOT_STREAM_PREFIX}-`;
const CALLBACK = `${CALLBACK_STREAM_PREFIX}-`;

export class CampaignsProjection implements Projection {
  readonly name = CAMPAIGNS_PROJECTION;
  readonly streamPrefixes = [CAMPAIGN, ITEM, TIME_SLOT, CALLBACK];

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const recorded of events) {
      if (recorded.streamId.startsWith(ITEM) || recorded.streamId.startsWith(CAMPAIGN)) await applyCampaignEvent(manager, recorded);
      else if (recorded.streamId.startsWith(TIME_SLOT)) await applyBookingEvent(manager, recorded);
      else if (recorded.streamId.startsWith(CALLBACK)) await applyCallbackEvent(manager, recorded);
    }
  }
}

async function applyCampaignEvent(manager: EntityManager, recorded: RecordedEvent): Promise<void> {
  const event = parseCampaignEvent(recorded);
  const { tenantId, revision, occurredAt } = recorded;
  switch (event.type) {
    case 'CampaignConfigured':
      await manager.query(
        `insert into campaigns (tenant_id, campaign_id, name, cap_per_time_slot, status, revision, updated_at)
         values ($1, $2, $3, $4, 'active', $5, $6)
         on conflict (tenant_id, campaign_id) do update set name = excluded.name, cap_per_time_slot = excluded.cap_per_time_slot,
           status = excluded.status, revision = excluded.revision, updated_at = excluded.updated_at
         where campaigns.revision < excluded.revision`,
        [tenantId, event.data.campaignId, event.data.name, event.data.capPerTimeSlot, revision, occurredAt],
      );
      return;
    case 'CampaignCancelled':
      await manager.query(`update campaigns set status = 'cancelled', revision = $3, updated_at = $4 where tenant_id = $1 and campaign_id = $2 and revision < $3`, [
        tenantId,
        event.data.campaignId,
        revision,
        occurredAt,
      ]);
      return;
    case 'CampaignItemBooked':
    case 'CampaignItemRejected': {
      const booked = event.type === 'CampaignItemBooked' ? event.data.booking : null;
      await manager.query(
        `insert into campaign_items (tenant_id, campaign_id, key_hash, idempotency_key, state, booking_id, call_slot_id, start_iso, rejection_reason, revision, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         on conflict (tenant_id, campaign_id, key_hash) do update set state = excluded.state, booking_id = excluded.booking_id,
           call_slot_id = excluded.call_slot_id, start_iso = excluded.start_iso, rejection_reason = excluded.rejection_reason,
           revision = excluded.revision, updated_at = excluded.updated_at
         where campaign_items.revision < excluded.revision`,
        [
          tenantId,
          event.data.campaignId,
          campaignItemKeyHash(event.data.idempotencyKey),
          event.data.idempotencyKey,
          booked ? 'booked' : 'rejected',
          booked?.bookingId ?? null,
          booked?.callSlotId ?? null,
          booked?.startIso ?? null,
          event.type === 'CampaignItemRejected' ? event.data.reason : null,
          revision,
          occurredAt,
        ],
      );
      return;
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

async function applyBookingEvent(manager: EntityManager, recorded: RecordedEvent): Promise<void> {
  if (recorded.type !== 'CallbackBooked' && recorded.type !== 'CallbackCancelled') return;
  const event = parseCallbackSlotsEvent(recorded);
  if (event.type === 'CallbackBooked') {
    if (event.data.campaignId === null) return;
    await manager.query(
      `insert into campaign_bookings (tenant_id, booking_id, campaign_id, status) values ($1, $2, $3, 'scheduled') on conflict do nothing`,
      [recorded.tenantId, event.data.bookingId, event.data.campaignId],
    );
  } else if (event.type === 'CallbackCancelled') {
    await manager.query(`update campaign_bookings set status = 'cancelled' where tenant_id = $1 and booking_id = $2 and status = 'scheduled'`, [
      recorded.tenantId,
      event.data.bookingId,
    ]);
  }
}

async function applyCallbackEvent(manager: EntityManager, recorded: RecordedEvent): Promise<void> {
  if (recorded.type !== 'CallbackCompleted' && recorded.type !== 'CallbackFailed') return;
  const event = parseCallbackDispatchEvent(recorded);
  if (event.type === 'CallbackCompleted' && event.data.campaignId !== null) {
    // Answered is final even if the booking was cancelled while that attempt rang.
    await manager.query(`update campaign_bookings set status = 'completed' where tenant_id = $1 and booking_id = $2 and status in ('scheduled', 'cancelled')`, [
      recorded.tenantId,
      event.data.bookingId,
    ]);
  } else if (event.type === 'CallbackFailed' && event.data.campaignId !== null) {
    await manager.query(`update campaign_bookings set status = 'failed' where tenant_id = $1 and booking_id = $2 and status = 'scheduled'`, [
      recorded.tenantId,
      event.data.bookingId,
    ]);
  }
}
