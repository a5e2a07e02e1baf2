// The campaign rules around a booking attempt: the cap per time slot, and how a refusal of the booking
// service becomes an item's rejection reason (or a conflict). Pure.
import type { CampaignRejectionReason } from '@cc/contracts';

/** A campaign with `cap` may book once more into an occurrence holding `live` of its callbacks. */
export const capAllows = (cap: number | null, live: number): boolean => cap === null || live < cap;

/** Booking-service refusal codes that reject an item (anything else is a failure of the submit). */
const REASON_OF_CODE: Readonly<Record<string, CampaignRejectionReason>> = {
  'CALLBACK_SLOTS.SLOT_FULL': 'full',
  'CALLBACK_SLOTS.SLOT_IN_PAST': 'in-past',
  'CALLBACK_SLOTS.OCCURRENCE_CLOSED': 'closed',
  'CALLBACK_SLOTS.UNKNOWN_OCCURRENCE': 'unknown-slot',
  'CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND': 'unknown-slot',
  'CALLBACK_SLOTS.CALL_SLOT_DELETED': 'unknown-slot',
  'CALLBACK_SLOTS.INVALID_CALLBACK_NUMBER': 'invalid-number',
  'CALLBACK_SLOTS.CALLBACK_NUMBER_NOT_ALLOWED': 'invalid-number',
  'CALLBACK_SLOTS.CALLBACK_NUMBER_BLACKLISTED': 'blacklisted',
};

export const rejectionReasonOf = (code: string): CampaignRejectionReason | null => REASON_OF_CODE[code] ?? null;

/** In an "earliest free" window, these refusals of one occurrence mean: try the next one. */
export const tryNextOccurrence = (reason: CampaignRejectionReason): boolean => reason === 'full' || reason === 'in-past' || reason === 'closed' || reason === 'campaign-cap';
