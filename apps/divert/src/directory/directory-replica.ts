// Keeps the divert service's replica of agent-directory current from its events (which extensions exist,
// who holds which, the tenant's default country) and turns an extension leaving the directory into
// divert changes. Idempotent by the directory stream's revision: a redelivered or older event changes nothing.
import { Injectable } from '@nestjs/common';
import type { PublishedEvent } from '@cc/messaging';
import { requestContext } from '@cc/platform';
import { ExtensionRemoval } from '../application/extension-removal';
import { TenantEditLock } from '../application/tenant-edit-lock';
import { directoryFactOf, type DirectoryFact } from './agent-directory-events.adapter';
import { DirectoryReplicaRepository } from './directory-replica.repository';

@Injectable()
export class DirectoryReplica {
  constructor(
    private readonly repository: DirectoryReplicaRepository,
    private readonly lock: TenantEditLock,
    private readonly removal: ExtensionRemoval,
  ) {}

  async apply(event: PublishedEvent): Promise<void> {
    const fact = directoryFactOf(event);
    if (fact === null) return;
    switch (fact.kind) {
      case 'tenant':
        await this.repository.upsertTenant(event.tenantId, fact.defaultCountry, event.revision);
        return;
      case 'agent':
        // Under the tenant's edit lock: no divert change can check "does the target exist" in between.
        await this.lock.run(event.tenantId, () => this.applyAgent(event, fact));
        return;
      default: {
        const _exhaustive: never = fact;
        throw new Error(`unhandled directory fact ${JSON.stringify(_exhaustive)}`);
      }
    }
  }

  private async applyAgent(event: PublishedEvent, fact: Extract<DirectoryFact, { kind: 'agent' }>): Promise<void> {
    const tenantId = event.tenantId;
    const before = await this.repository.agent(tenantId, fact.agentId);
    if (before !== null && before.revision >= event.revision) return;
    // The agent gave up the extension we knew it by: removed, or moved to another number.
    const released =
      before !== null && before.status !== 'removed' && (fact.status === 'removed' || fact.extension !== before.extension)
        ? before.extension
        : null;
    // A number already taken by someone else (their event arrived first) still exists: nothing to orphan.
    if (released !== null && !(await this.repository.heldByAnotherAgent(tenantId, released, fact.agentId))) {
      // Divert changes before the replica row: if they fail, the redelivery still sees the release.
      await requestContext.run({ correlationId: event.correlationId, tenantId, ...(event.actor ? { actor: event.actor } : {}) }, () =>
        this.removal.apply(tenantId, released, { actor: event.actor, causationId: event.id }),
      );
    }
    await this.repository.upsertAgent(tenantId, {
      agentId: fact.agentId,
      extension: fact.extension,
      status: fact.status,
      revision: event.revision,
    });
  }
}
