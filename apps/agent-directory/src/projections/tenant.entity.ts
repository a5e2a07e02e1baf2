// Read model row of one tenant (licence and settings as its last event carried them), for the
// operators' tenant list. Written only by DirectoryReadModelsProjection.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TenantView } from '@cc/contracts';

@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ type: 'jsonb' })
  tenant!: TenantView;

  /** Revision of `tenant-{tenant}` this row reflects (older deliveries are ignored). */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
