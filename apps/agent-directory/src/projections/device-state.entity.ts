// Read model row of one extension's device state (registered or not, on a call or idle), and the
// snapshot a report starts from, so a busy extension's long stream is never folded from its start.
// Written only by DirectoryReadModelsProjection.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeviceActivity, DeviceRegistration, DeviceState } from '@cc/contracts';

@Entity({ name: 'device_states' })
export class DeviceStateEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  extension!: string;

  @Column({ type: 'text' })
  registration!: DeviceRegistration;

  @Column({ type: 'text' })
  activity!: DeviceActivity;

  @Column({ type: 'jsonb' })
  device!: DeviceState;

  /** Revision of `device-{tenant}-{extension}` this row reflects. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
