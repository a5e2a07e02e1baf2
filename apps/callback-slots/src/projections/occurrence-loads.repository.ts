// Reads the per-occurrence load table (live bookings, own capacity) for a call slot and a time range:
// the input of availability, the calendar and the offer dialogue's candidates.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { OccurrenceLoad, OccurrenceLoads } from '../domain/availability';

@Injectable()
export class OccurrenceLoadsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Loads of occurrences starting in [fromIso, untilIso), keyed by start (`toISOString()` form). */
  async loads(tenantId: string, callSlotId: string, fromIso: string, untilIso: string): Promise<OccurrenceLoads> {
    const rows = (await this.dataSource.query(
      `select start_iso, booked, capacity_override from occurrence_loads
       where tenant_id = $1 and call_slot_id = $2 and start_at >= $3 and start_at < $4`,
      [tenantId, callSlotId, fromIso, untilIso],
    )) as { start_iso: string; booked: number; capacity_override: number | null }[];
    return new Map<string, OccurrenceLoad>(rows.map((row) => [row.start_iso, { booked: row.booked, capacityOverride: row.capacity_override }]));
  }
}
