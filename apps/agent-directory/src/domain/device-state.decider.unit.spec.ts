// Specification of device state: SIP edge reports applied per side, late and repeated reports ignored.
import { deviceAvailabilityOf, type DeviceState, type DeviceStateEvent } from '@cc/contracts';
import { specificationOf } from './decider-specification.fixture';
import { deviceStateDecider, type ReportDeviceState } from './device-state.decider';

const given = specificationOf(deviceStateDecider);
const report = (fields: Omit<ReportDeviceState, 'type' | 'extension'>): ReportDeviceState => ({
  type: 'ReportDeviceState',
  extension: '2001',
  ...fields,
});
const device = (fields: Partial<DeviceState>): DeviceState => ({
  extension: '2001',
  registration: 'unregistered',
  registrationObservedAt: null,
  activity: 'idle',
  activityObservedAt: null,
  ...fields,
});
const changed = (state: DeviceState, sides: ('registration' | 'activity')[]): DeviceStateEvent => ({
  type: 'DeviceStateChanged',
  data: { device: state, changed: sides },
});

const T1 = '2026-11-23T09:00:00.000Z';
const T2 = '2026-11-23T09:01:00.000Z';
const T3 = '2026-11-23T09:02:00.000Z';
const registeredIdle = changed(device({ registration: 'registered', registrationObservedAt: T2, activity: 'idle', activityObservedAt: T2 }), [
  'registration',
  'activity',
]);

describe('device state decider', () => {
  describe('given a device never reported', () => {
    it('records its registration', () => {
      given([])
        .when(report({ registration: 'registered', observedAt: T1 }))
        .then([changed(device({ registration: 'registered', registrationObservedAt: T1 }), ['registration'])]);
    });

    it('records a first "unregistered" too: the state becomes known', () => {
      given([])
        .when(report({ registration: 'unregistered', observedAt: T1 }))
        .then([changed(device({ registrationObservedAt: T1 }), ['registration'])]);
    });

    it('records both sides of one report, with the time in UTC', () => {
      given([])
        .when(report({ registration: 'registered', activity: 'idle', observedAt: '2026-11-23T10:01:00+01:00' }))
        .then([registeredIdle]);
    });
  });

  describe('given a registered, idle device (observed at T2)', () => {
    it('records going on a call', () => {
      given([registeredIdle])
        .when(report({ activity: 'onCall', observedAt: T3 }))
        .then([changed({ ...registeredIdle.data.device, activity: 'onCall', activityObservedAt: T3 }, ['activity'])]);
    });

    it('writes nothing for a repeat of the current state', () => {
      given([registeredIdle]).when(report({ registration: 'registered', activity: 'idle', observedAt: T3 })).thenNothing();
    });

    it('ignores a late report observed before the current state', () => {
      given([registeredIdle]).when(report({ registration: 'unregistered', observedAt: T1 })).thenNothing();
    });

    it('lets the later arrival win when two reports share an observation time', () => {
      given([registeredIdle])
        .when(report({ registration: 'unregistered', observedAt: T2 }))
        .then([changed({ ...registeredIdle.data.device, registration: 'unregistered' }, ['registration'])]);
    });

    it('judges each side by its own observation time', () => {
      const onCallAtT3 = changed({ ...registeredIdle.data.device, activity: 'onCall', activityObservedAt: T3 }, ['activity']);
      // Registration last observed at T2: an unregister observed at T3 is news although activity is newer.
      given([registeredIdle, onCallAtT3])
        .when(report({ registration: 'unregistered', activity: 'idle', observedAt: '2026-11-23T09:01:30.000Z' }))
        .then([
          changed({ ...onCallAtT3.data.device, registration: 'unregistered', registrationObservedAt: '2026-11-23T09:01:30.000Z' }, [
            'registration',
          ]),
        ]);
    });
  });

  it('folds from the last event alone (each carries the whole state)', () => {
    const last = changed(device({ registration: 'registered', registrationObservedAt: T3 }), ['registration']);
    expect(deviceStateDecider.evolve(deviceStateDecider.initialState(), last)).toEqual({ status: 'known', device: last.data.device });
  });
});

describe('deviceAvailabilityOf', () => {
  it.each([
    ['registered', 'idle', 'available'],
    ['registered', 'onCall', 'busy'],
    ['unregistered', 'idle', 'unreachable'],
    ['unregistered', 'onCall', 'unreachable'],
  ] as const)('%s and %s is %s', (registration, activity, availability) => {
    expect(deviceAvailabilityOf({ registration, activity })).toBe(availability);
  });
});
