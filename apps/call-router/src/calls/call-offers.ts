// The callback offer dialogue of a call at an offerCallback step: the router starts it with callback-slots
// when the call reaches the step, passes the caller's keys (or typed callback number) through, and keeps
// the session and callback-slots' last answer per (call, step) in PostgreSQL, so any router instance can
// take the next key. What the dialogue decides (booked, declined) comes back to the call as progress.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OfferReplySchema, type OfferReply, type PlanStepOf } from '@cc/contracts';
import { OFFER_DIALOGUE, type OfferDialogue } from './offer-dialogue';

export type OfferStep = PlanStepOf<'offerCallback'>;
export type OfferOf = { readonly tenantId: string; readonly callId: string; readonly streamId: string; readonly step: OfferStep };

/** The dialogue is over: the call continues at the step's onBooked / onDeclined node. */
export const isFinished = (reply: OfferReply): reply is Extract<OfferReply, { status: 'booked' | 'ended' | 'not-offered' }> =>
  reply.status === 'booked' || reply.status === 'ended' || reply.status === 'not-offered';

@Injectable()
export class CallOffers {
  private readonly logger = new Logger('CallOffers');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OFFER_DIALOGUE) private readonly dialogue: OfferDialogue,
  ) {}

  /** callback-slots' current answer for the step (what the IVR announces), starting the dialogue the first time. */
  async current(offer: OfferOf): Promise<OfferReply> {
    const saved = await this.load(offer);
    if (saved) return saved.reply;
    const reply = await this.dialogue.start(offer.tenantId, { callSlotId: offer.step.callSlotId, callId: offer.callId, callerCli: offer.step.callerCli });
    const stored: Array<{ session_id: string }> = await this.dataSource.query(
      `insert into call_offers (stream_id, step_id, tenant_id, session_id, last_reply, updated_at) values ($1, $2, $3, $4, $5, now())
       on conflict (stream_id, step_id) do nothing returning session_id`,
      [offer.streamId, offer.step.id, offer.tenantId, reply.sessionId, JSON.stringify(reply)],
    );
    if (stored.length > 0) return reply;
    // Another instance started the dialogue of this step at the same moment: theirs stands, ours is dropped.
    await this.abandonSession(offer.tenantId, reply.sessionId);
    return (await this.load(offer))!.reply;
  }

  /**
   * Passes keys to the dialogue: a typed callback number while one is asked for (the confirm key ends it),
   * else key by key until the dialogue asks for a number or finishes. Before the dialogue has started, the
   * keys are not meant for it: it starts, and its first prompt is the answer.
   */
  async keys(offer: OfferOf, digits: string): Promise<OfferReply> {
    const saved = await this.load(offer);
    if (!saved) return this.current(offer);
    let reply = saved.reply;
    if (isFinished(reply)) return reply;
    if (reply.status === 'awaiting-number') {
      const typed = digits.endsWith(reply.confirmKey) ? digits.slice(0, -reply.confirmKey.length) : digits;
      reply = /^[0-9]{0,20}$/.test(typed)
        ? await this.dialogue.enterNumber(offer.tenantId, { sessionId: saved.sessionId, digits: typed })
        : await this.dialogue.dtmf(offer.tenantId, { sessionId: saved.sessionId, key: digits[0]! });
    } else {
      for (const key of digits) {
        reply = await this.dialogue.dtmf(offer.tenantId, { sessionId: saved.sessionId, key });
        if (isFinished(reply) || reply.status === 'awaiting-number') break;
      }
    }
    await this.dataSource.query(`update call_offers set last_reply = $3, updated_at = now() where stream_id = $1 and step_id = $2`, [
      offer.streamId,
      offer.step.id,
      JSON.stringify(reply),
    ]);
    return reply;
  }

  /** The caller hung up during the dialogue: tell callback-slots (best effort; its sessions expire anyway). */
  async abandon(offer: OfferOf): Promise<void> {
    const saved = await this.load(offer);
    if (saved && !isFinished(saved.reply)) await this.abandonSession(offer.tenantId, saved.sessionId);
  }

  private async abandonSession(tenantId: string, sessionId: string): Promise<void> {
    try {
      await this.dialogue.abandon(tenantId, { sessionId });
    } catch (error) {
      this.logger.warn(`could not abandon offer session ${sessionId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async load(offer: OfferOf): Promise<{ sessionId: string; reply: OfferReply } | null> {
    const rows: Array<{ session_id: string; last_reply: unknown }> = await this.dataSource.query(
      'select session_id, last_reply from call_offers where stream_id = $1 and step_id = $2',
      [offer.streamId, offer.step.id],
    );
    const row = rows[0];
    return row ? { sessionId: row.session_id, reply: OfferReplySchema.parse(row.last_reply) } : null;
  }
}
