// One submitted campaign item (`campaignitem-{tenant}-{campaignId}-{keyHash}`), the lock behind its
// idempotency key: once booked, the key stands for that booking; the same key with the same content is
// a duplicate, with other content a conflict. A rejection does not take the key. Pure.
import { createHash } from 'node:crypto';
import {
  CAMPAIGN_ERRORS,
  canonicalUtcInstant,
  DomainError,
  type CampaignBooking,
  type CampaignItem,
  type CampaignItemEvent,
  type CampaignRejectionReason,
} from '@cc/contracts';

export type CampaignItemState =
  | { readonly status: 'Open'; readonly rejections: number }
  | { readonly status: 'Booked'; readonly itemHash: string; readonly booking: CampaignBooking };

export const initialCampaignItemState = (): CampaignItemState => ({ status: 'Open', rejections: 0 });

type ItemRef = { campaignId: string; idempotencyKey: string; itemHash: string };
export type RecordItemBooked = { type: 'RecordItemBooked'; item: ItemRef; booking: CampaignBooking };
export type RecordItemRejected = { type: 'RecordItemRejected'; item: ItemRef; reason: CampaignRejectionReason; detail: string };
export type CampaignItemCommand = RecordItemBooked | RecordItemRejected;

export function decideCampaignItem(command: CampaignItemCommand, state: CampaignItemState): CampaignItemEvent[] {
  if (state.status === 'Booked') {
    // The key already stands for a booking: the same one again is nothing new, anything else a conflict.
    if (command.type === 'RecordItemBooked' && command.booking.bookingId === state.booking.bookingId) return [];
    throw keyReused(command.item.idempotencyKey, state.booking.bookingId);
  }
  switch (command.type) {
    case 'RecordItemBooked':
      return [{ type: 'CampaignItemBooked', data: { ...command.item, booking: command.booking } }];
    case 'RecordItemRejected':
      return [{ type: 'CampaignItemRejected', data: { ...command.item, reason: command.reason, detail: command.detail.slice(0, 500) } }];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export function evolveCampaignItem(state: CampaignItemState, event: CampaignItemEvent): CampaignItemState {
  switch (event.type) {
    case 'CampaignItemBooked':
      return { status: 'Booked', itemHash: event.data.itemHash, booking: event.data.booking };
    case 'CampaignItemRejected':
      return state.status === 'Open' ? { status: 'Open', rejections: state.rejections + 1 } : state;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const campaignItemDecider = { initialState: initialCampaignItemState, evolve: evolveCampaignItem, decide: decideCampaignItem };

export type PreviousSubmission = { kind: 'new' } | { kind: 'duplicate'; booking: CampaignBooking } | { kind: 'conflict'; bookingId: string };

/** What an item's key already stands for, given the new item's content hash. */
export function previousSubmission(state: CampaignItemState, itemHash: string): PreviousSubmission {
  if (state.status === 'Open') return { kind: 'new' };
  return state.itemHash === itemHash ? { kind: 'duplicate', booking: state.booking } : { kind: 'conflict', bookingId: state.booking.bookingId };
}

/**
 * The content of an item that makes it "the same item": number, CLI and target, with instants in one
 * spelling (`+01:00` and `Z` of the same instant are the same item). SHA-256 hex.
 */
export function campaignItemHash(item: CampaignItem): string {
  const target =
    item.target.kind === 'slot'
      ? { kind: 'slot', callSlotId: item.target.callSlotId, startIso: canonicalUtcInstant(item.target.startIso) }
      : { kind: 'earliest', callSlotId: item.target.callSlotId, from: canonicalUtcInstant(item.target.from), to: canonicalUtcInstant(item.target.to) };
  const canonical = JSON.stringify([item.callbackNumber.replace(/\s+/g, ''), item.callerCli ?? null, target]);
  return createHash('sha256').update(canonical).digest('hex');
}

export const keyReused = (idempotencyKey: string, bookingId: string): DomainError => {
  const { code, kind } = CAMPAIGN_ERRORS.CAMPAIGN_ITEM_KEY_REUSED;
  return new DomainError(code, kind, `idempotency key "${idempotencyKey}" was used for another item (booking ${bookingId})`, [
    { path: 'idempotencyKey', message: 'already used with different content' },
  ], { bookingId });
};
