// Queries over the logins read model: one page of a tenant's logins by login name, filtered by role,
// linked agent or status.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ListLoginsRequest, ListLoginsResponse } from '@cc/contracts';
import { LoginEntity } from './login.entity';
import { decodePageCursor, encodePageCursor } from './page-cursor';

@Injectable()
export class LoginsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(tenantId: string, filter: ListLoginsRequest): Promise<ListLoginsResponse> {
    const after = filter.cursor === undefined ? undefined : decodePageCursor(filter.cursor, 1)[0];
    const query = this.dataSource.getRepository(LoginEntity).createQueryBuilder('l').where('l.tenant_id = :tenantId', { tenantId });
    if (filter.role !== undefined) query.andWhere('l.role = :role', { role: filter.role });
    if (filter.agentId !== undefined) query.andWhere('l.agent_id = :agentId', { agentId: filter.agentId });
    if (filter.status !== undefined) query.andWhere('l.status = :status', { status: filter.status });
    if (after !== undefined) query.andWhere('l.login_id > :after', { after });
    const rows = await query.orderBy('l.login_id', 'ASC').limit(filter.limit + 1).getMany();
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return { items: page.map((row) => row.login), nextCursor: rows.length > filter.limit && last ? encodePageCursor([last.loginId]) : null };
  }
}
