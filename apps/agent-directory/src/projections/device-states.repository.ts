// The device-state read model as a snapshot: where a report on an extension starts folding its stream
// (only the events after the snapshot's revision are read).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DeviceState } from '@cc/contracts';
import { DeviceStateEntity } from './device-state.entity';

@Injectable()
export class DeviceStatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async snapshot(tenantId: string, extension: string): Promise<{ device: DeviceState; revision: number } | null> {
    const row = await this.dataSource.getRepository(DeviceStateEntity).findOneBy({ tenantId, extension });
    return row ? { device: row.device, revision: row.revision } : null;
  }
}
