// Blacklist use-cases on the tenant's `blacklist-{tenant}` stream: numbers (typed as the tenant dials
// them, stored in E.164) and `+digits` prefixes that are never accepted as callback numbers.
import { Injectable } from '@nestjs/common';
import {
  normalisePhoneNumber,
  toBlacklistStreamId,
  type AddBlacklistEntryRequest,
  type BlacklistEvent,
  type BlacklistView,
  type RemoveBlacklistEntryRequest,
} from '@cc/contracts';
import { CommandExecutor } from '@cc/platform';
import { TenantDirectory } from '../access/tenant-directory';
import { blacklistDecider, blacklistEntries, type BlacklistCommand, type BlacklistState } from '../domain/blacklist.decider';
import { callbackSlotsError } from '../domain/callback-slots-error';
import type { CallSlotCaller } from '../call-slots/call-slot-caller';
import { BlacklistReader } from './blacklist-reader';

@Injectable()
export class BlacklistService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly reader: BlacklistReader,
    private readonly directory: TenantDirectory,
  ) {}

  async view(caller: CallSlotCaller): Promise<BlacklistView> {
    const { state, revision } = await this.reader.read(caller.tenantId);
    return viewOf(state, revision ?? -1);
  }

  /** Adding an entry that is already there (with the same note) changes nothing. */
  async add(caller: CallSlotCaller, request: AddBlacklistEntryRequest): Promise<BlacklistView> {
    let value = request.value;
    if (request.kind === 'number') {
      const parsed = normalisePhoneNumber(request.value, await this.directory.defaultCountry(caller.tenantId));
      if (!parsed.ok) throw callbackSlotsError('INVALID_BLACKLIST_ENTRY', parsed.message, [{ path: 'value', message: parsed.message }]);
      value = parsed.e164;
    }
    return this.run(caller, { type: 'AddBlacklistEntry', kind: request.kind, value, note: request.note ?? null });
  }

  async remove(caller: CallSlotCaller, request: RemoveBlacklistEntryRequest): Promise<BlacklistView> {
    return this.run(caller, { type: 'RemoveBlacklistEntry', kind: request.kind, value: request.value });
  }

  private async run(caller: CallSlotCaller, command: BlacklistCommand): Promise<BlacklistView> {
    const result = await this.executor.execute<BlacklistState, BlacklistCommand, BlacklistEvent>({
      streamId: toBlacklistStreamId(caller.tenantId),
      decider: blacklistDecider,
      command,
      tenantId: caller.tenantId,
      actor: caller.actor,
    });
    this.reader.remember(caller.tenantId, { state: result.state, revision: result.revision });
    return viewOf(result.state, result.revision ?? -1);
  }
}

const viewOf = (state: BlacklistState, revision: number): BlacklistView => ({
  entries: blacklistEntries(state).map((entry) => ({ kind: entry.kind, value: entry.value, note: entry.note })),
  revision,
});
