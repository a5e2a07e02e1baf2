// Read model of each schedule's current definition (list pages, and the snapshot that get / isOpen /
// preview start from before reading any newer events). Written only by SchedulesProjection.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ScheduleDefinitionData } from '@cc/contracts';

@Entity({ name: 'schedules' })
export class ScheduleEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'schedule_id', type: 'text' })
  scheduleId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  mode!: ScheduleDefinitionData['mode'];

  @Column({ type: 'text' })
  timezone!: string;

  /** `deleted`: kept for audit and so the id is never reused; lists leave it out unless asked. */
  @Column({ type: 'text' })
  status!: 'active' | 'deleted';

  /** The whole schedule as its last event carried it. */
  @Column({ type: 'jsonb' })
  definition!: ScheduleDefinitionData;

  /** Revision of the schedule's stream this row reflects (older deliveries are ignored). */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'text', nullable: true })
  updatedBy!: string | null;
}
