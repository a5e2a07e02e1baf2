// A login's call-slot profile (seed 003: "which call slots the user can see") applied to reads and
// writes. A call slot outside the profile is answered as if it did not exist (404), so a profile
// never reveals which other call slots a tenant has; creating one outside it is 403.
import { DomainError, type CallSlotProfile } from '@cc/contracts';
import { callbackSlotsError } from '../domain/callback-slots-error';

/** `undefined`: an internal caller (NATS, campaigns), who sees every call slot of the tenant. */
export const canSee = (profile: CallSlotProfile | undefined, callSlotId: string): boolean =>
  profile === undefined || profile.kind === 'all' || profile.callSlotIds.includes(callSlotId);

/** Throws CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND (404) for a call slot outside the profile. */
export function assertVisible(profile: CallSlotProfile | undefined, callSlotId: string): void {
  if (!canSee(profile, callSlotId)) {
    throw callbackSlotsError('CALL_SLOT_NOT_FOUND', `no call slot ${callSlotId}`, [{ path: 'callSlotId', message: 'unknown call slot' }]);
  }
}

/** Call slot ids a list may show: null for every one, else the profile's subset. */
export const visibleIds = (profile: CallSlotProfile | undefined): readonly string[] | null =>
  profile === undefined || profile.kind === 'all' ? null : profile.callSlotIds;

/**
 * 403 CALLBACK_SLOTS.OUTSIDE_PROFILE: creating a call slot the caller's profile would not show them.
 * The code is local until the contracts' catalogue (CALLBACK_SLOTS_ERRORS) has it.
 */
export const outsideProfile = (callSlotId: string): DomainError =>
  new DomainError(
    'CALLBACK_SLOTS.OUTSIDE_PROFILE',
    'forbidden',
    `call slot ${callSlotId} is outside your call-slot profile`,
    [{ path: 'callSlotId', message: 'not in your call-slot profile' }],
    { callSlotId },
  );
