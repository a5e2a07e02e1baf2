// Device state per extension (`device-{tenant}-{ext}`) from SIP edge reports. Reports can arrive late and
// out of order (retries, two edge nodes), so each side (registration, activity) keeps the edge time it was
// observed at and an older report of that side is ignored. Repeats of the current value write nothing:
// the edge reports changes (registrar inserts/expiries, dialog starts/ends), so a stream grows per change.
import type { Decider, DeviceActivity, DeviceRegistration, DeviceState, DeviceStateEvent } from '@cc/contracts';

export type DeviceStateState = { status: 'unknown' } | { status: 'known'; device: DeviceState };

export type ReportDeviceState = {
  type: 'ReportDeviceState';
  extension: string;
  registration?: DeviceRegistration;
  activity?: DeviceActivity;
  /** When the edge observed it (ISO instant); orders reports, never compared with our clock. */
  observedAt: string;
};
export type DeviceStateCommand = ReportDeviceState;

export const initialDeviceState = (): DeviceStateState => ({ status: 'unknown' });

/** Every DeviceStateChanged carries the whole state, so folding needs only the last event of the stream. */
export function evolveDeviceState(_state: DeviceStateState, event: DeviceStateEvent): DeviceStateState {
  switch (event.type) {
    case 'DeviceStateChanged':
      return { status: 'known', device: event.data.device };
    default: {
      const _exhaustive: never = event.type;
      return _exhaustive;
    }
  }
}

export function decideDeviceState(command: DeviceStateCommand, state: DeviceStateState): DeviceStateEvent[] {
  switch (command.type) {
    case 'ReportDeviceState': {
      const current: DeviceState =
        state.status === 'known'
          ? state.device
          : { extension: command.extension, registration: 'unregistered', registrationObservedAt: null, activity: 'idle', activityObservedAt: null };
      const at = Date.parse(command.observedAt);
      if (Number.isNaN(at)) throw new RangeError(`observedAt is not an instant: "${command.observedAt}"`);
      const next: DeviceState = { ...current };
      const changed: ('registration' | 'activity')[] = [];
      if (command.registration !== undefined && isNews(command.registration, at, current.registration, current.registrationObservedAt)) {
        next.registration = command.registration;
        next.registrationObservedAt = new Date(at).toISOString();
        changed.push('registration');
      }
      if (command.activity !== undefined && isNews(command.activity, at, current.activity, current.activityObservedAt)) {
        next.activity = command.activity;
        next.activityObservedAt = new Date(at).toISOString();
        changed.push('activity');
      }
      return changed.length === 0 ? [] : [{ type: 'DeviceStateChanged', data: { device: next, changed } }];
    }
    default: {
      const _exhaustive: never = command.type;
      return _exhaustive;
    }
  }
}

/**
 * A side's report is news when that side was never observed, or it is not older than the last observation
 * and says something different. Equal times with different values: the later arrival wins.
 */
function isNews<T extends string>(value: T, at: number, currentValue: T, observedAt: string | null): boolean {
  if (observedAt === null) return true;
  return at >= Date.parse(observedAt) && value !== currentValue;
}

export const deviceStateDecider: Decider<DeviceStateState, DeviceStateCommand, DeviceStateEvent> = {
  initialState: initialDeviceState,
  evolve: evolveDeviceState,
  decide: decideDeviceState,
};
