// Queries of the campaign read models: counts per campaign and the bookings a cancel must undo.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CAMPAIGN_REJECTION_REASONS, type CampaignRejectionReason, type CampaignView } from '@cc/contracts';

@Injectable()
export class CampaignsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async counts(tenantId: string, campaignId: string): Promise<CampaignView['counts']> {
    const [totals] = (await this.dataSource.query(
      `select count(*) filter (where i.state = 'booked')::int as booked,
              count(*) filter (where i.state = 'booked' and coalesce(b.status, 'scheduled') = 'scheduled')::int as scheduled,
              count(*) filter (where b.status = 'cancelled')::int as cancelled,
              count(*) filter (where b.status = 'completed')::int as completed,
              count(*) filter (where b.status = 'failed')::int as failed
         from campaign_items i
         left join campaign_bookings b on b.tenant_id = i.tenant_id and b.booking_id = i.booking_id
        where i.tenant_id = $1 and i.campaign_id = $2`,
      [tenantId, campaignId],
    )) as { booked: number; scheduled: number; cancelled: number; completed: number; failed: number }[];
    const rejections = (await this.dataSource.query(
      `select rejection_reason as reason, count(*)::int as n from campaign_items
        where tenant_id = $1 and campaign_id = $2 and state = 'rejected' group by rejection_reason`,
      [tenantId, campaignId],
    )) as { reason: CampaignRejectionReason; n: number }[];
    const rejected = Object.fromEntries(CAMPAIGN_REJECTION_REASONS.map((reason) => [reason, 0])) as Record<CampaignRejectionReason, number>;
    for (const { reason, n } of rejections) rejected[reason] = n;
    return { ...totals!, rejected };
  }

  /** Bookings of the campaign that may still be live (not cancelled, not finished), in pages. */
  async *liveBookingIds(tenantId: string, campaignId: string, pageSize = 1_000): AsyncGenerator<string[]> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = (await this.dataSource.query(
        `select i.booking_id from campaign_items i
           left join campaign_bookings b on b.tenant_id = i.tenant_id and b.booking_id = i.booking_id
          where i.tenant_id = $1 and i.campaign_id = $2 and i.state = 'booked' and coalesce(b.status, 'scheduled') = 'scheduled' and i.booking_id > $3
          order by i.booking_id limit $4`,
        [tenantId, campaignId, after, pageSize],
      )) as { booking_id: string }[];
      if (rows.length === 0) return;
      yield rows.map((r) => r.booking_id);
      after = rows[rows.length - 1]!.booking_id;
      if (rows.length < pageSize) return;
    }
  }

  /** Removes a tenant's rows (tests' clean-up; a tenant's deletion). */
  async forgetTenant(tenantId: string): Promise<void> {
    for (const table of ['campaigns', 'campaign_items', 'campaign_bookings']) await this.dataSource.query(`delete from ${table} where tenant_id = $1`, [tenantId]);
  }
}
