// Read model of each extension's current divert rules: lists, and the tenant's divert graph that loop
// detection and the effective-divert query walk. Written only by DivertRulesProjection.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DivertRules } from '@cc/contracts';

@Entity({ name: 'divert_rules' })
export class DivertRulesEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  extension!: string;

  /** `removed`: agent-directory removed the extension; `rules` is null then. */
  @Column({ type: 'text' })
  status!: 'configured' | 'removed';

  @Column({ type: 'jsonb', nullable: true })
  rules!: DivertRules | null;

  /** Extensions any rule targets (windows ignored): the edges of the divert graph, indexed. */
  @Column({ name: 'forward_targets', type: 'text', array: true })
  forwardTargets!: string[];

  /** Revision of the extension's stream this row reflects (older deliveries are ignored). */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'text', nullable: true })
  updatedBy!: string | null;
}
