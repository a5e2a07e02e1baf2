// A check the roster reconciler owes: "is this extension claim still backed by its agent?" or "did this
// roster enrolment get its agent?", due once the grace period of the flow that wrote it is over.
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ReconcilerCheckKind = 'extension-claim' | 'enrolment';

@Entity({ name: 'reconciler_checks' })
export class ReconcilerCheckEntity {
  @PrimaryColumn({ type: 'text' })
  kind!: ReconcilerCheckKind;

  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  /** The extension (extension-claim) or the agent id (enrolment). */
  @PrimaryColumn({ type: 'text' })
  subject!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
