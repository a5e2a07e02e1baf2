// Books a batch of campaign items, each on its own: validate it, check what its idempotency key stands
// for (duplicate / conflict), book the named occurrence or the earliest free one in its window under
// the campaign's cap, and record the result on the item's stream (the key's lock). A bad or refused
// item never stops the batch; a failure of the infrastructure does (the items done so far are
// recorded, so the client retries the whole batch safely).
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CAMPAIGN_ERRORS,
  campaignItemKeyHash,
  CampaignItemSchema,
  canonicalUtcInstant,
  DomainError,
  toCampaignItemStreamId,
  toCampaignStreamId,
  toTimeSlotStreamId,
  type CallSlotProfile,
  type CampaignBooking,
  type CampaignEvent,
  type CampaignItem,
  type CampaignItemEvent,
  type CampaignItemResult,
  type CampaignRejectionReason,
  type SubmitCampaignItemsResponse,
  type TimeSlotEvent,
} from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { CLOCK, CommandExecutor, EVENT_STORE, StateCache, zodIssuesToFieldErrors, type Clock } from '@cc/platform';
import { BookingService } from '../../bookings/booking.service';
import { AvailabilityService } from '../../call-slots/availability.service';
import { CallSlotCatalog } from '../../call-slots/call-slot-catalog';
import { KeyedSerializer } from '../../bookings/keyed-serializer';
import { timeSlotDecider, type TimeSlotState } from '../../domain/time-slot.decider';
import { IncrementalStreamReader } from '../../callbacks/application/incremental-stream.reader';
import { capAllows, rejectionReasonOf, tryNextOccurrence } from '../domain/campaign-booking-rules';
import { assertTakesItems, campaignDecider, type CampaignState } from '../domain/campaign.decider';
import {
  campaignItemDecider,
  campaignItemHash,
  previousSubmission,
  type CampaignItemCommand,
  type CampaignItemState,
} from '../domain/campaign-item.decider';
import { CampaignCapLock } from './campaign-cap.lock';

export type SubmitContext = { tenantId: string; actor: string; profile?: CallSlotProfile };
type Campaign = { campaignId: string; capPerTimeSlot: number | null };
type Attempt = { kind: 'booked'; booking: CampaignBooking } | { kind: 'rejected'; reason: CampaignRejectionReason; detail: string } | { kind: 'key-reused' };

/** Items of one batch processed at once. */
const ITEM_CONCURRENCY = 8;
/** Occurrences tried (booking attempted) in one "earliest free" window before giving up. */
const MAX_WINDOW_CANDIDATES = 200;
/** How long an occurrence found full or at the campaign's cap is skipped by later items of the campaign. */
const EXHAUSTED_TTL_MS = 60_000;
const PROGRESS_EVERY = 500;

/** The idempotency key the booking service sees for a campaign item: per campaign, fixed length. */
export const bookingKeyOf = (campaignId: string, idempotencyKey: string): string => `campaign:${campaignId}:${campaignItemKeyHash(idempotencyKey)}`;

export type SubmissionProgress = { tenantId: string; campaignId: string; submissionId: string; done: number; total: number; startedAt: string };

@Injectable()
export class CampaignSubmitter {
  private readonly logger = new Logger('CampaignSubmitter');
  private readonly occurrences: IncrementalStreamReader<TimeSlotState>;
  private readonly campaigns: IncrementalStreamReader<CampaignState>;
  private readonly itemStates = new StateCache(10_000);
  private readonly perItem = new KeyedSerializer();
  private readonly running = new Map<string, SubmissionProgress>();
  private readonly exhausted = new Map<string, { starts: Map<string, CampaignRejectionReason>; until: number }>();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly bookings: BookingService,
    private readonly catalog: CallSlotCatalog,
    private readonly availability: AvailabilityService,
    private readonly capLock: CampaignCapLock,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.occurrences = new IncrementalStreamReader(store, {
      initialState: timeSlotDecider.initialState,
      evolve: (state, event) => timeSlotDecider.evolve(state, event as unknown as TimeSlotEvent),
    });
    this.campaigns = new IncrementalStreamReader(store, {
      initialState: campaignDecider.initialState,
      evolve: (state, event) => campaignDecider.evolve(state, event as unknown as CampaignEvent),
    }, 1_000);
  }

  /** Submits running now for a campaign (the progress endpoint). */
  inProgress(tenantId: string, campaignId: string): SubmissionProgress[] {
    return [...this.running.values()].filter((p) => p.tenantId === tenantId && p.campaignId === campaignId);
  }

  async submit(ctx: SubmitContext, campaignId: string, items: readonly unknown[]): Promise<SubmitCampaignItemsResponse> {
    const { state } = await this.executor.load(toCampaignStreamId(ctx.tenantId, campaignId), campaignDecider);
    assertTakesItems(campaignId, state);
    const campaign: Campaign = { campaignId, capPerTimeSlot: state.capPerTimeSlot };
    const progress: SubmissionProgress = { tenantId: ctx.tenantId, campaignId, submissionId: randomUUID(), done: 0, total: items.length, startedAt: this.clock.now().toISOString() };
    this.running.set(progress.submissionId, progress);
    const results: CampaignItemResult[] = new Array(items.length);
    try {
      let next = 0;
      const worker = async () => {
        for (let index = next++; index < items.length; index = next++) {
          results[index] = await this.item(ctx, campaign, items[index], index);
          progress.done++;
          if (progress.done % PROGRESS_EVERY === 0 && progress.done < progress.total) {
            this.logger.log(`campaign ${ctx.tenantId}/${campaignId} submission ${progress.submissionId}: ${progress.done}/${progress.total} items done`);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(ITEM_CONCURRENCY, items.length) }, worker));
    } finally {
      this.running.delete(progress.submissionId);
    }
    const counts = { booked: 0, duplicate: 0, rejected: 0, conflict: 0, invalid: 0 };
    for (const result of results) counts[result.outcome]++;
    if (items.length >= PROGRESS_EVERY) {
      this.logger.log(`campaign ${ctx.tenantId}/${campaignId} submission ${progress.submissionId} done: ${JSON.stringify(counts)}`);
    }
    return { campaignId, results, counts };
  }

  private async item(ctx: SubmitContext, campaign: Campaign, raw: unknown, index: number): Promise<CampaignItemResult> {
    const parsed = CampaignItemSchema.safeParse(raw);
    if (!parsed.success) {
      const key = (raw as { idempotencyKey?: unknown } | null)?.idempotencyKey;
      return result(index, typeof key === 'string' ? key : null, 'invalid', {
        problem: { code: 'VALIDATION.INVALID_INPUT', title: 'The item is not valid', errors: zodIssuesToFieldErrors(parsed.error) },
      });
    }
    const item = parsed.data;
    const streamId = toCampaignItemStreamId(ctx.tenantId, campaign.campaignId, item.idempotencyKey);
    // Items of one batch with the same key run one after the other (then the second is a duplicate).
    return this.perItem.run(streamId, () => this.bookItem(ctx, campaign, item, index, streamId));
  }

  private async bookItem(ctx: SubmitContext, campaign: Campaign, item: CampaignItem, index: number, streamId: string): Promise<CampaignItemResult> {
    const itemHash = campaignItemHash(item);
    const loaded = await this.executor.load(streamId, campaignItemDecider);
    const earlier = this.answerFromState(loaded.state, itemHash, item, index);
    if (earlier) return earlier;

    const attempt = await this.attempt(ctx, campaign, item);
    if (attempt.kind === 'key-reused') return this.answerFromStream(streamId, itemHash, item, index);
    const ref = { campaignId: campaign.campaignId, idempotencyKey: item.idempotencyKey, itemHash };
    const command: CampaignItemCommand =
      attempt.kind === 'booked' ? { type: 'RecordItemBooked', item: ref, booking: attempt.booking } : { type: 'RecordItemRejected', item: ref, reason: attempt.reason, detail: attempt.detail };
    try {
      // Decided on the state read above (handed over as cached): one append, refused if the stream moved.
      this.itemStates.set(streamId, { state: loaded.state, revision: loaded.revision });
      await this.executor.execute<CampaignItemState, CampaignItemCommand, CampaignItemEvent>({
        streamId,
        decider: campaignItemDecider,
        command,
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        expectedRevision: loaded.revision ?? 'no_stream',
        cache: this.itemStates,
      });
      this.itemStates.delete(streamId);
    } catch (error) {
      // Another submit of the same key got there first: answer with what the key stands for now.
      this.itemStates.delete(streamId);
      if (error instanceof DomainError && (error.code === 'CONCURRENCY.REVISION_MISMATCH' || error.code === 'CONCURRENCY.CONFLICT')) {
        return this.answerFromStream(streamId, itemHash, item, index);
      }
      throw error;
    }
    if (attempt.kind === 'rejected') return result(index, item.idempotencyKey, 'rejected', { reason: attempt.reason, title: attempt.detail });
    // A cancel of the whole campaign may have slipped in while this item was being booked.
    const { state } = await this.campaigns.read(toCampaignStreamId(ctx.tenantId, campaign.campaignId));
    if (state.status === 'Cancelled') {
      await this.bookings.cancel({ tenantId: ctx.tenantId, bookingId: attempt.booking.bookingId, note: `campaign ${campaign.campaignId} cancelled`, actor: ctx.actor });
      return result(index, item.idempotencyKey, 'conflict', {
        booking: attempt.booking,
        problem: { code: CAMPAIGN_ERRORS.CAMPAIGN_CANCELLED.code, title: `campaign ${campaign.campaignId} was cancelled meanwhile; the booking was cancelled`, errors: [] },
      });
    }
    return result(index, item.idempotencyKey, 'booked', { booking: attempt.booking });
  }

  private async answerFromStream(streamId: string, itemHash: string, item: CampaignItem, index: number): Promise<CampaignItemResult> {
    const { state } = await this.executor.load(streamId, campaignItemDecider);
    return (
      this.answerFromState(state, itemHash, item, index) ??
      result(index, item.idempotencyKey, 'conflict', {
        problem: { code: CAMPAIGN_ERRORS.CAMPAIGN_ITEM_KEY_REUSED.code, title: `idempotency key "${item.idempotencyKey}" was used for another booking`, errors: [{ path: 'idempotencyKey', message: 'already used with different content' }] },
      })
    );
  }

  private answerFromState(state: CampaignItemState, itemHash: string, item: CampaignItem, index: number): CampaignItemResult | null {
    const previous = previousSubmission(state, itemHash);
    switch (previous.kind) {
      case 'new':
        return null;
      case 'duplicate':
        return result(index, item.idempotencyKey, 'duplicate', { booking: previous.booking });
      case 'conflict':
        return result(index, item.idempotencyKey, 'conflict', {
          problem: {
            code: CAMPAIGN_ERRORS.CAMPAIGN_ITEM_KEY_REUSED.code,
            title: `idempotency key "${item.idempotencyKey}" was used for another item (booking ${previous.bookingId})`,
            errors: [{ path: 'idempotencyKey', message: 'already used with different content' }],
          },
        });
      default: {
        const _exhaustive: never = previous;
        return _exhaustive;
      }
    }
  }

  private async attempt(ctx: SubmitContext, campaign: Campaign, item: CampaignItem): Promise<Attempt> {
    const { target } = item;
    if (target.kind === 'slot') return this.bookOccurrence(ctx, campaign, item, target.callSlotId, canonicalUtcInstant(target.startIso));
    const to = canonicalUtcInstant(target.to);
    const now = this.clock.now().getTime();
    if (Date.parse(to) <= now) return { kind: 'rejected', reason: 'outside-window', detail: `the window ended at ${to}` };
    let candidates;
    try {
      const callSlot = await this.catalog.active(ctx.tenantId, target.callSlotId);
      // Occurrences starting at `from` or later (the search is "strictly after"), not yet started, free by the load table.
      const after = new Date(Math.max(Date.parse(target.from) - 1, now)).toISOString();
      candidates = await this.availability.candidates(ctx.tenantId, callSlot, after, to);
    } catch (error) {
      const refused = refusalOf(error);
      if (refused) return refused;
      throw error;
    }
    // Occurrences this campaign found full or at its cap a moment ago are skipped without asking again.
    const exhausted = this.exhaustedOccurrences(ctx.tenantId, campaign.campaignId, target.callSlotId);
    let tried = 0;
    let capped = 0;
    // First pass: an occurrence another item is booking right now is passed over (so concurrent items
    // spread over occurrences instead of queueing on one); second pass: wait for those passed over.
    const busy: string[] = [];
    const spreadPass = function* () {
      for (const occurrence of candidates) yield occurrence.startIso;
    };
    for (const pass of ['spread', 'wait'] as const) {
      for (const startIso of pass === 'spread' ? spreadPass() : busy.splice(0)) {
        const known = exhausted.get(startIso);
        if (known) {
          if (pass === 'spread' && known === 'campaign-cap') capped++;
          continue;
        }
        if (++tried > MAX_WINDOW_CANDIDATES) break;
        const attempt = await this.bookOccurrence(ctx, campaign, item, target.callSlotId, startIso, pass === 'spread' ? 'skip-if-busy' : 'wait');
        if (attempt.kind === 'busy') {
          busy.push(startIso);
          continue;
        }
        if (attempt.kind !== 'rejected' || !tryNextOccurrence(attempt.reason)) return attempt;
        exhausted.set(startIso, attempt.reason);
        if (attempt.reason === 'campaign-cap') capped++;
      }
    }
    return capped > 0
      ? { kind: 'rejected', reason: 'campaign-cap', detail: `no occurrence until ${to} has a free place below the campaign's cap` }
      : { kind: 'rejected', reason: 'full', detail: `no free place between ${canonicalUtcInstant(target.from)} and ${to}` };
  }

  /** Per campaign and call slot, for a minute: occurrences found full or at the campaign's cap. */
  private exhaustedOccurrences(tenantId: string, campaignId: string, callSlotId: string): Map<string, CampaignRejectionReason> {
    const key = `${tenantId}/${campaignId}/${callSlotId}`;
    const now = Date.now();
    const known = this.exhausted.get(key);
    if (known && known.until > now) return known.starts;
    for (const [k, entry] of this.exhausted) if (entry.until <= now) this.exhausted.delete(k);
    const fresh = { starts: new Map<string, CampaignRejectionReason>(), until: now + EXHAUSTED_TTL_MS };
    this.exhausted.set(key, fresh);
    return fresh.starts;
  }

  private bookOccurrence(ctx: SubmitContext, campaign: Campaign, item: CampaignItem, callSlotId: string, startIso: string, whenBusy?: 'wait'): Promise<Attempt>;
  private bookOccurrence(
    ctx: SubmitContext,
    campaign: Campaign,
    item: CampaignItem,
    callSlotId: string,
    startIso: string,
    whenBusy: 'wait' | 'skip-if-busy',
  ): Promise<Attempt | { kind: 'busy' }>;
  private async bookOccurrence(
    ctx: SubmitContext,
    campaign: Campaign,
    item: CampaignItem,
    callSlotId: string,
    startIso: string,
    whenBusy: 'wait' | 'skip-if-busy' = 'wait',
  ): Promise<Attempt | { kind: 'busy' }> {
    const book = async (): Promise<Attempt> => {
      const { booking } = await this.bookings.book({
        tenantId: ctx.tenantId,
        callSlotId,
        startIso,
        callbackNumber: item.callbackNumber,
        ...(item.callerCli !== undefined ? { callerCli: item.callerCli } : {}),
        source: 'campaign',
        campaignId: campaign.campaignId,
        idempotencyKey: bookingKeyOf(campaign.campaignId, item.idempotencyKey),
        actor: ctx.actor,
        ...(ctx.profile ? { profile: ctx.profile } : {}),
      });
      return { kind: 'booked', booking: { bookingId: booking.bookingId, callSlotId: booking.callSlotId, startIso: booking.startIso, endIso: booking.endIso } };
    };
    try {
      const cap = campaign.capPerTimeSlot;
      if (cap === null) return await book();
      // The cap check and the booking under one lock per campaign and occurrence, across instances.
      const checkedBook = async (): Promise<Attempt> => {
        const live = await this.campaignBookingsIn(ctx.tenantId, campaign.campaignId, callSlotId, startIso);
        if (!capAllows(cap, live)) return { kind: 'rejected', reason: 'campaign-cap', detail: `the campaign already has ${live} of its ${cap} callbacks at ${startIso}` };
        return book();
      };
      const lockKey = `${ctx.tenantId}:${campaign.campaignId}:${callSlotId}:${startIso}`;
      if (whenBusy === 'wait') return await this.capLock.withLock(lockKey, checkedBook);
      const locked = await this.capLock.tryWithLock(lockKey, checkedBook);
      return locked.acquired ? locked.value : { kind: 'busy' };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'CALLBACK_SLOTS.IDEMPOTENCY_KEY_REUSED') return { kind: 'key-reused' };
      const refused = refusalOf(error);
      if (refused) return refused;
      throw error;
    }
  }

  /** The campaign's live bookings in one occurrence, from its stream (the truth, not a projection). */
  private async campaignBookingsIn(tenantId: string, campaignId: string, callSlotId: string, startIso: string): Promise<number> {
    const { state } = await this.occurrences.read(toTimeSlotStreamId(tenantId, callSlotId, startIso));
    if (state.status !== 'Open') return 0;
    let live = 0;
    for (const booking of state.bookings.values()) if (booking.status === 'booked' && booking.campaignId === campaignId) live++;
    return live;
  }
}

function refusalOf(error: unknown): Attempt | null {
  if (!(error instanceof DomainError)) return null;
  const reason = rejectionReasonOf(error.code);
  return reason ? { kind: 'rejected', reason, detail: error.message.slice(0, 500) } : null;
}

const STATUS = { booked: 201, duplicate: 200, rejected: 422, conflict: 409, invalid: 400 } as const;

function result(
  index: number,
  idempotencyKey: string | null,
  outcome: CampaignItemResult['outcome'],
  extra: { booking?: CampaignBooking; reason?: CampaignRejectionReason; title?: string; problem?: CampaignItemResult['problem'] },
): CampaignItemResult {
  return {
    index,
    idempotencyKey,
    outcome,
    status: STATUS[outcome],
    booking: extra.booking ?? null,
    reason: extra.reason ?? null,
    problem: extra.problem ?? (extra.reason ? { code: CAMPAIGN_ERRORS.CAMPAIGN_ITEM_REJECTED.code, title: extra.title ?? extra.reason, errors: [] } : null),
  };
}
