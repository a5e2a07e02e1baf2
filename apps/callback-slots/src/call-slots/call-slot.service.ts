// Call slot use-cases (definition, grid, closed dates) on the `callslot-{tenant}-{id}` stream: load,
// decide (call-slot.decider), append with the expected revision. Reads answer from the stream (one call
// slot) or the read model (lists), both filtered by the caller's call-slot profile.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  toCallSlotStreamId,
  type CallSlotEvent,
  type CallSlotView,
  type CloseDateRequest,
  type CreateCallSlotRequest,
  type DeleteCallSlotRequest,
  type GenerateTimeSlotsRequest,
  type ListCallSlotsResponse,
  type ReopenDateRequest,
  type UpdateCallSlotRequest,
} from '@cc/contracts';
import { CLOCK, CommandExecutor, type Clock } from '@cc/platform';
import { formatLocalDate } from '@cc/scheduling';
import { assertVisible, canSee, outsideProfile, visibleIds } from '../access/call-slot-profile';
import { callSlotDecider, type CallSlotCommand, type CallSlotState } from '../domain/call-slot.decider';
import { localDateOf } from '../domain/occurrences';
import { CallSlotsRepository } from '../projections/call-slots.repository';
import type { CallSlotCaller } from './call-slot-caller';
import { CallSlotCatalog, callSlotNotFound } from './call-slot-catalog';

@Injectable()
export class CallSlotService {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly catalog: CallSlotCatalog,
    private readonly repository: CallSlotsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Creating the same definition again under the same id changes nothing (idempotent create). */
  async create(caller: CallSlotCaller, request: CreateCallSlotRequest): Promise<CallSlotView> {
    const callSlotId = request.callSlotId ?? randomUUID();
    if (!canSee(caller.profile, callSlotId)) throw outsideProfile(callSlotId);
    return this.run(caller, callSlotId, {
      type: 'CreateCallSlot',
      callSlotId,
      name: request.name,
      zone: request.zone,
      timeSlots: request.timeSlots,
      ...(request.settings ? { settings: request.settings } : {}),
    });
  }

  update(caller: CallSlotCaller, request: UpdateCallSlotRequest): Promise<CallSlotView> {
    const { callSlotId, name, zone, timeSlots, settings, expectedRevision } = request;
    return this.run(caller, callSlotId, { type: 'UpdateCallSlot', callSlotId, name, zone, timeSlots, ...(settings ? { settings } : {}) }, expectedRevision);
  }

  generate(caller: CallSlotCaller, request: GenerateTimeSlotsRequest): Promise<CallSlotView> {
    return this.run(caller, request.callSlotId, { type: 'GenerateTimeSlots', callSlotId: request.callSlotId, grid: request.grid }, request.expectedRevision);
  }

  delete(caller: CallSlotCaller, request: DeleteCallSlotRequest): Promise<CallSlotView> {
    return this.run(
      caller,
      request.callSlotId,
      { type: 'DeleteCallSlot', callSlotId: request.callSlotId, reason: request.reason ?? null },
      request.expectedRevision,
    );
  }

  closeDate(caller: CallSlotCaller, request: CloseDateRequest): Promise<CallSlotView> {
    const now = this.clock.now().toISOString();
    return this.run(caller, request.callSlotId, { type: 'CloseDate', callSlotId: request.callSlotId, date: request.date, reason: request.reason ?? null, now });
  }

  reopenDate(caller: CallSlotCaller, request: ReopenDateRequest): Promise<CallSlotView> {
    const now = this.clock.now().toISOString();
    return this.run(caller, request.callSlotId, { type: 'ReopenDate', callSlotId: request.callSlotId, date: request.date, now });
  }

  /** One call slot, deleted ones included (existing bookings may still point at them). */
  async get(caller: CallSlotCaller, callSlotId: string): Promise<CallSlotView> {
    assertVisible(caller.profile, callSlotId);
    const { state, revision } = await this.catalog.read(caller.tenantId, callSlotId, { exact: true });
    if (state.status === 'Empty' || revision === null) throw callSlotNotFound(callSlotId);
    return this.viewOf(state, revision);
  }

  /** Active call slots the caller's profile shows (read model: a change shows up within milliseconds). */
  async list(caller: CallSlotCaller, includeDeleted = false): Promise<ListCallSlotsResponse> {
    const rows = await this.repository.list(caller.tenantId, visibleIds(caller.profile), includeDeleted);
    const now = this.clock.now().getTime();
    return {
      items: rows.map((row) => ({
        ...row.definition,
        status: row.status,
        closedDates: fromToday(row.closedDates, row.definition.zone, now),
        revision: row.revision,
      })),
    };
  }

  private async run(caller: CallSlotCaller, callSlotId: string, command: CallSlotCommand, expectedRevision?: number): Promise<CallSlotView> {
    if (command.type !== 'CreateCallSlot') assertVisible(caller.profile, callSlotId);
    const result = await this.executor.execute<CallSlotState, CallSlotCommand, CallSlotEvent>({
      streamId: toCallSlotStreamId(caller.tenantId, callSlotId),
      decider: callSlotDecider,
      command,
      tenantId: caller.tenantId,
      actor: caller.actor,
      ...(expectedRevision === undefined ? {} : { expectedRevision: expectedRevision < 0 ? 'no_stream' : expectedRevision }),
    });
    if (result.state.status === 'Empty' || result.revision === null) throw callSlotNotFound(callSlotId);
    this.catalog.remember(caller.tenantId, callSlotId, { state: result.state, revision: result.revision });
    return this.viewOf(result.state, result.revision);
  }

  private viewOf(state: Exclude<CallSlotState, { status: 'Empty' }>, revision: number): CallSlotView {
    return {
      ...state.definition,
      status: state.status === 'Active' ? 'active' : 'deleted',
      closedDates: fromToday([...state.closedDates], state.definition.zone, this.clock.now().getTime()),
      revision,
    };
  }
}

/** Closed dates from today (in the call slot's zone) on, ascending. */
function fromToday(dates: readonly string[], zone: string, nowMs: number): string[] {
  const today = formatLocalDate(localDateOf(nowMs, zone));
  return [...dates].filter((date) => date >= today).sort();
}
