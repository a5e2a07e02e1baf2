// Extension numbers are reserved on their own streams (`extension-{tenant}-{ext}`): claiming is an append
// at the revision read, so two agents racing for one number end with exactly one holder; releasing is
// the same append the other way. Used by the register / change-extension / remove flows and the reconciler.
import { Injectable } from '@nestjs/common';
import { DomainError, toExtensionClaimStreamId, type ExtensionClaimEvent } from '@cc/contracts';
import { CommandExecutor } from '@cc/platform';
import {
  extensionClaimDecider,
  type ExtensionClaimCommand,
  type ExtensionClaimState,
} from '../domain/extension-claim.decider';
import type { CommandContext } from './command-context';

export type ClaimAsStored = {
  state: ExtensionClaimState;
  revision: number | null;
  /** When the current holder claimed it (null when free). */
  claimedAt: Date | null;
};

@Injectable()
export class ExtensionClaimsService {
  constructor(private readonly executor: CommandExecutor) {}

  /** Reserves `extension` for `agentId`; EXTENSION_TAKEN (409) when another agent holds it, also after a race. */
  async claim(tenantId: string, extension: string, agentId: string, context: CommandContext): Promise<void> {
    await this.executor.execute<ExtensionClaimState, ExtensionClaimCommand, ExtensionClaimEvent>({
      streamId: toExtensionClaimStreamId(tenantId, extension),
      decider: extensionClaimDecider,
      command: { type: 'ClaimExtension', extension, agentId },
      tenantId,
      actor: context.actor,
      causationId: context.causationId ?? null,
    });
  }

  async load(tenantId: string, extension: string): Promise<ClaimAsStored> {
    const { state, revision, events } = await this.executor.load(toExtensionClaimStreamId(tenantId, extension), extensionClaimDecider);
    const last = events[events.length - 1];
    return { state, revision, claimedAt: state.status === 'claimed' && last ? new Date(last.occurredAt) : null };
  }

  /**
   * Gives up `agentId`'s hold on `extension`: `released`, or `notHeld` when the number is free or another
   * agent holds it (nothing of this agent's to give up). With `ifAtRevision` (the reconciler), only if the
   * claim stream is still at the revision its check read; `changed` otherwise (the newer claim has its own check).
   */
  async release(
    tenantId: string,
    extension: string,
    agentId: string,
    context: CommandContext,
    options: { ifAtRevision?: number } = {},
  ): Promise<'released' | 'notHeld' | 'changed'> {
    for (let attempt = 1; ; attempt++) {
      const claim = await this.load(tenantId, extension);
      if (options.ifAtRevision !== undefined && claim.revision !== options.ifAtRevision) return 'changed';
      if (claim.state.status !== 'claimed' || claim.state.agentId !== agentId || claim.revision === null) return 'notHeld';
      try {
        await this.executor.execute<ExtensionClaimState, ExtensionClaimCommand, ExtensionClaimEvent>({
          streamId: toExtensionClaimStreamId(tenantId, extension),
          decider: extensionClaimDecider,
          command: { type: 'ReleaseExtension', extension, agentId },
          tenantId,
          actor: context.actor,
          causationId: context.causationId ?? null,
          expectedRevision: claim.revision,
        });
        return 'released';
      } catch (error) {
        const raced = error instanceof DomainError && error.code === 'CONCURRENCY.REVISION_MISMATCH';
        if (!raced || attempt >= RELEASE_ATTEMPTS) throw error;
      }
    }
  }
}

/** Re-reads after the claim moved between our read and our release (the holder cannot change while held). */
const RELEASE_ATTEMPTS = 5;
