// Lists call slots from the read model (the single-call-slot read goes to its stream, which is exact).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CallSlotDefinition } from '@cc/contracts';

export type CallSlotRow = {
  definition: CallSlotDefinition;
  status: 'active' | 'deleted';
  closedDates: string[];
  revision: number;
};

@Injectable()
export class CallSlotsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Ordered by name, then id. `visible` null: all of the tenant's; else only those ids. */
  async list(tenantId: string, visible: readonly string[] | null, includeDeleted: boolean): Promise<CallSlotRow[]> {
    const rows = (await this.dataSource.query(
      `select definition, status, closed_dates, revision from call_slots
       where tenant_id = $1 and ($2::text[] is null or call_slot_id = any($2)) and ($3 or status = 'active')
       order by name, call_slot_id`,
      [tenantId, visible, includeDeleted],
    )) as { definition: CallSlotDefinition; status: 'active' | 'deleted'; closed_dates: string[]; revision: number }[];
    return rows.map((row) => ({ definition: row.definition, status: row.status, closedDates: row.closed_dates, revision: row.revision }));
  }
}
