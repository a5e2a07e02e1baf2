// Queries over the tenants read model: the operators' list of tenants, by tenant id.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ListTenantsRequest, ListTenantsResponse } from '@cc/contracts';
import { TenantEntity } from './tenant.entity';
import { decodePageCursor, encodePageCursor } from './page-cursor';

@Injectable()
export class TenantsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(request: ListTenantsRequest): Promise<ListTenantsResponse> {
    const after = request.cursor === undefined ? undefined : decodePageCursor(request.cursor, 1)[0];
    const query = this.dataSource.getRepository(TenantEntity).createQueryBuilder('t');
    if (after !== undefined) query.where('t.tenant_id > :after', { after });
    const rows = await query.orderBy('t.tenant_id', 'ASC').limit(request.limit + 1).getMany();
    const page = rows.slice(0, request.limit);
    const last = page[page.length - 1];
    return { items: page.map((row) => row.tenant), nextCursor: rows.length > request.limit && last ? encodePageCursor([last.tenantId]) : null };
  }
}
