// Local replica of agent-directory's tenant settings that diverts need: the default country used to read
// numbers typed without "+".
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'directory_tenants' })
export class DirectoryTenantEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'default_country', type: 'text' })
  defaultCountry!: string;

  /** Revision of the tenant's stream in agent-directory this row reflects. */
  @Column({ type: 'integer' })
  revision!: number;
}
