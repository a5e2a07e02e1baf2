// Applies agent-directory's tenant events (each carries the whole tenant: licence and settings) to the
// tenant_directory replica. Other agent-directory events are skipped without parsing them.
import { Injectable } from '@nestjs/common';
import { TENANT_EVENTS, parseAgentDirectoryEvent, type TenantView } from '@cc/contracts';
import type { PublishedEvent } from '@cc/messaging';
import { TenantDirectory } from './tenant-directory';

const TENANT_EVENT_TYPES: ReadonlySet<string> = new Set(TENANT_EVENTS.map((definition) => definition.type));

@Injectable()
export class TenantDirectoryReplica {
  constructor(private readonly directory: TenantDirectory) {}

  /** Throws for a tenant event in an unknown version or breaking its contract (the consumer retries, then dead-letters it). */
  async apply(event: PublishedEvent): Promise<void> {
    if (!TENANT_EVENT_TYPES.has(event.type)) return;
    const parsed = parseAgentDirectoryEvent(event);
    const tenant = (parsed.data as { tenant: TenantView }).tenant;
    if (tenant.tenantId !== event.tenantId) throw new Error(`tenant event of ${event.tenantId} carries tenant ${tenant.tenantId}`);
    await this.directory.apply(tenant, event.revision);
  }
}
