// Read model row of one login (role, privileges, call-slot profile, linked agent), for the login list.
// Written only by DirectoryReadModelsProjection.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LoginRole, LoginStatus, LoginView } from '@cc/contracts';

@Entity({ name: 'logins' })
export class LoginEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'login_id', type: 'text' })
  loginId!: string;

  @Column({ type: 'text' })
  role!: LoginRole;

  @Column({ name: 'agent_id', type: 'uuid', nullable: true })
  agentId!: string | null;

  @Column({ type: 'text' })
  status!: LoginStatus;

  @Column({ type: 'jsonb' })
  login!: LoginView;

  /** Revision of `login-{tenant}-{loginId}` this row reflects. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
