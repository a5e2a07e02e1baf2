// Device state per extension as the SIP edge reports it (registered or not, on a call or idle): the
// router rings only registered devices and treats one on a call as busy.
import { z } from 'zod';
import { ExtensionSchema } from '../phone';

export const DEVICE_REGISTRATIONS = ['registered', 'unregistered'] as const;
export const DeviceRegistrationSchema = z.enum(DEVICE_REGISTRATIONS);
export type DeviceRegistration = z.infer<typeof DeviceRegistrationSchema>;

export const DEVICE_ACTIVITIES = ['idle', 'onCall'] as const;
export const DeviceActivitySchema = z.enum(DEVICE_ACTIVITIES);
export type DeviceActivity = z.infer<typeof DeviceActivitySchema>;

const IsoInstantSchema = z.iso.datetime({ offset: true });

/**
 * The last known state of an extension's device. Registration and activity arrive separately (the
 * edge's registrar and dialog tracker) and each keeps the edge time it was observed at, so a late,
 * older report of one never overwrites a newer report of the other. A never-reported side has a null time.
 */
export const DeviceStateSchema = z.strictObject({
  extension: ExtensionSchema,
  registration: DeviceRegistrationSchema,
  registrationObservedAt: IsoInstantSchema.nullable(),
  activity: DeviceActivitySchema,
  activityObservedAt: IsoInstantSchema.nullable(),
});
export type DeviceState = z.infer<typeof DeviceStateSchema>;

const deviceStateReportFields = {
  registration: DeviceRegistrationSchema.optional(),
  activity: DeviceActivitySchema.optional(),
  observedAt: IsoInstantSchema,
};
const reportsSomething = (report: { registration?: unknown; activity?: unknown }): boolean =>
  report.registration !== undefined || report.activity !== undefined;
const REPORTS_SOMETHING = { message: 'report registration, activity or both', path: ['registration'] };

/** A report from the SIP edge: one or both sides, with the instant the edge observed them. */
export const DeviceStateReportSchema = z
  .strictObject({ extension: ExtensionSchema, ...deviceStateReportFields })
  .refine(reportsSomething, REPORTS_SOMETHING);
/** The body of `PUT /devices/{extension}/state`: a report without the extension (it is in the path). */
export const DeviceStateReportBodySchema = z.strictObject(deviceStateReportFields).refine(reportsSomething, REPORTS_SOMETHING);
export type DeviceStateReport = z.infer<typeof DeviceStateReportSchema>;

export const exampleDeviceState: DeviceState = {
  extension: '2001',
  registration: 'registered',
  registrationObservedAt: '2026-11-23T08:58:00.000Z',
  activity: 'onCall',
  activityObservedAt: '2026-11-23T09:00:00.000Z',
};

/**
 * What a device's state means for ringing it, in the divert conditions' words: not registered is
 * `unreachable` (whatever its call state), registered and on a call is `busy`, otherwise `available`.
 */
export type DeviceAvailability = 'available' | 'busy' | 'unreachable';
export const deviceAvailabilityOf = (device: Pick<DeviceState, 'registration' | 'activity'>): DeviceAvailability =>
  device.registration === 'unregistered' ? 'unreachable' : device.activity === 'onCall' ? 'busy' : 'available';
