// Seed 003: a login's call-slot profile decides which call slots it can see; the others do not exist for it.
import { DomainError } from '@cc/contracts';
import { assertVisible, canSee, outsideProfile, visibleIds } from './call-slot-profile';

describe('call-slot profile', () => {
  it('internal callers (no profile) and profile "all" see every call slot', () => {
    expect(canSee(undefined, 'sales')).toBe(true);
    expect(canSee({ kind: 'all' }, 'sales')).toBe(true);
    expect(visibleIds(undefined)).toBeNull();
    expect(visibleIds({ kind: 'all' })).toBeNull();
  });

  it('a subset sees only its call slots; any other is CALL_SLOT_NOT_FOUND (404), not forbidden', () => {
    const profile = { kind: 'subset' as const, callSlotIds: ['sales'] };
    expect(canSee(profile, 'sales')).toBe(true);
    expect(visibleIds(profile)).toEqual(['sales']);
    expect(() => assertVisible(profile, 'support')).toThrow(expect.objectContaining({ code: 'CALLBACK_SLOTS.CALL_SLOT_NOT_FOUND', kind: 'not_found' }));
    expect(() => assertVisible({ kind: 'subset', callSlotIds: [] }, 'sales')).toThrow(DomainError);
  });

  it('creating outside the profile is forbidden with its own code', () => {
    expect(outsideProfile('marketing')).toMatchObject({ code: 'CALLBACK_SLOTS.OUTSIDE_PROFILE', kind: 'forbidden', details: { callSlotId: 'marketing' } });
  });
});
