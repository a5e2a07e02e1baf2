// Queries over the agents read model: one page of a tenant's agents, filtered by extension, manager, name,
// role or status, in name order (case-insensitive, then id) with a keyset cursor (stable while agents are added or renamed).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AgentView, ListAgentsRequest, ListAgentsResponse } from '@cc/contracts';
import { AgentEntity } from './agent.entity';
import { decodePageCursor, encodePageCursor, escapeLike } from './page-cursor';

@Injectable()
export class AgentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(tenantId: string, filter: ListAgentsRequest): Promise<ListAgentsResponse> {
    const after = filter.cursor === undefined ? undefined : decodePageCursor(filter.cursor, 2);
    const query = this.dataSource.getRepository(AgentEntity).createQueryBuilder('a').where('a.tenant_id = :tenantId', { tenantId });
    if (filter.extension !== undefined) query.andWhere('a.extension = :extension', { extension: filter.extension });
    if (filter.managerId !== undefined) query.andWhere('a.manager_id = :managerId', { managerId: filter.managerId });
    if (filter.name !== undefined) query.andWhere(`a.name ilike :pattern escape '\\'`, { pattern: `%${escapeLike(filter.name)}%` });
    if (filter.role !== undefined) query.andWhere('a.role = :role', { role: filter.role });
    if (filter.status !== undefined) query.andWhere('a.status = :status', { status: filter.status });
    else query.andWhere(`a.status <> 'removed'`);
    if (after) {
      const [afterKey, afterId] = after as [string, string];
      query.andWhere('(a.name_key, a.agent_id) > (:afterKey, cast(:afterId as uuid))', { afterKey, afterId });
    }
    const rows = await query.orderBy('a.name_key', 'ASC').addOrderBy('a.agent_id', 'ASC').limit(filter.limit + 1).getMany();
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row): AgentView => row.agent),
      nextCursor: rows.length > filter.limit && last ? encodePageCursor([last.nameKey, last.agentId]) : null,
    };
  }
}
