// What an extension leaving agent-directory does to diverts: rules elsewhere that forward to it now go
// to the voicemail of the extension that forwarded (DivertTargetOrphaned), and its own rules are removed
// (DivertExtensionRemoved). Both commands are no-ops when already applied, so a redelivery is harmless.
import { Inject, Injectable } from '@nestjs/common';
import { toDivertStreamId, type DivertEvent } from '@cc/contracts';
import { CLOCK, CommandExecutor, type Clock } from '@cc/platform';
import { divertDecider, type DivertCommand, type DivertState } from '../domain/divert.decider';
import { DivertRulesProjectionRunner } from '../projections/divert-rules.projection-runner';
import { DivertRulesRepository } from '../projections/divert-rules.repository';

export type RemovalCause = {
  /** Who removed it in agent-directory (the directory event's actor), for the audit trail. */
  actor: string | null;
  /** The directory event's id. */
  causationId: string;
};

export type RemovalOutcome = { orphanedIn: string[]; removed: boolean };

@Injectable()
export class ExtensionRemoval {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly rules: DivertRulesRepository,
    private readonly projection: DivertRulesProjectionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Call with the tenant's edit lock held, so no change can point a new rule at `extension` meanwhile. */
  async apply(tenantId: string, extension: string, cause: RemovalCause): Promise<RemovalOutcome> {
    // Every rule written before the lock was taken is in the read model once it has caught up.
    await this.projection.caughtUp();
    const now = this.clock.now();
    const reason = `extension ${extension} was removed from the directory`;
    const orphanedIn: string[] = [];
    for (const from of await this.rules.pointingAt(tenantId, extension)) {
      if (from === extension) continue;
      const result = await this.run(tenantId, from, cause, {
        type: 'MarkTargetOrphaned',
        extension: from,
        removedExtension: extension,
        now,
        reason,
      });
      if (result) orphanedIn.push(from);
    }
    const removed = await this.run(tenantId, extension, cause, { type: 'RemoveExtensionDiverts', extension, now, reason });
    return { orphanedIn, removed };
  }

  /** True when the command wrote an event. */
  private async run(tenantId: string, extension: string, cause: RemovalCause, command: DivertCommand): Promise<boolean> {
    const result = await this.executor.execute<DivertState, DivertCommand, DivertEvent>({
      streamId: toDivertStreamId(tenantId, extension),
      decider: divertDecider,
      command,
      tenantId,
      actor: cause.actor ?? 'service:agent-directory',
      causationId: cause.causationId,
    });
    return result.events.length > 0;
  }
}
