// Local replica of agent-directory's tenants, reduced to what callback-slots needs: the licensed
// features (call slots are licensable) and the default country callback numbers are read with.
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'tenant_directory' })
export class TenantDirectoryEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'licensed_features', type: 'text', array: true })
  licensedFeatures!: string[];

  @Column({ name: 'default_country', type: 'text' })
  defaultCountry!: string;

  /** Revision of the tenant's stream in agent-directory this row reflects (older deliveries are ignored). */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
