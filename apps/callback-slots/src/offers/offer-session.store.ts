// Live IVR offer sessions in Redis (DESIGN.md: "offer sessions live in Redis with a TTL"): the session
// state as plain JSON with the offer-session stream's revision, a per-session lock so two steps racing
// (two DTMF keys) run one after the other on consistent state, and an expiry index for the sweeper.
//
// Keys (prefix from OFFER_SESSION_KEY_PREFIX, shared by every instance of a deployment):
//   {prefix}offer:{tenant}:{sessionId}       the session; TTL = until expiry + a grace for the sweeper
//   {prefix}offer-lock:{tenant}:{sessionId}  the step lock (token, PX)
//   {prefix}offer-expiries                   sorted set: member `{tenant}:{sessionId}`, score = expiresAt (ms)
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { CALLBACK_SLOTS_CONFIG, type CallbackSlotsConfig } from '../config';
import { callbackSlotsError } from '../domain/callback-slots-error';
import type { OfferSessionState } from '../domain/offer-session';
import { REDIS_CLIENT } from '../redis/redis.module';

export type StoredOfferSession = {
  readonly tenantId: string;
  readonly state: OfferSessionState;
  /** Revision of `offersession-{tenant}-{sessionId}` after the last step's events (null: none yet). */
  readonly revision: number | null;
};

/** How long an expired session stays for the sweeper to report it. */
const SWEEP_GRACE_MS = 15 * 60_000;
/** Longer than any step takes; a crashed holder's lock lapses after it. */
const LOCK_TTL_MS = 15_000;
const LOCK_POLL_MS = 10;
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

@Injectable()
export class OfferSessionStore {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(CALLBACK_SLOTS_CONFIG) private readonly config: CallbackSlotsConfig,
  ) {
    this.prefix = config.OFFER_SESSION_KEY_PREFIX;
  }

  async load(tenantId: string, sessionId: string): Promise<StoredOfferSession | null> {
    const json = await this.redis.get(this.sessionKey(tenantId, sessionId));
    return json === null ? null : (JSON.parse(json) as StoredOfferSession);
  }

  /**
   * Stores the session after a step (`nowMs` from the service clock). A live one is indexed for the
   * sweeper at its expiry; an ended one is kept (so late steps answer OFFER_SESSION_ENDED) but not indexed.
   */
  async save(session: StoredOfferSession, nowMs: number): Promise<void> {
    const { ctx, status } = session.state;
    const key = this.sessionKey(session.tenantId, ctx.sessionId);
    const member = memberOf(session.tenantId, ctx.sessionId);
    const live = status === 'Offering' || status === 'AwaitingNumber' || status === 'Booking';
    const multi = this.redis.multi();
    if (live) {
      const expiresAtMs = Date.parse(ctx.expiresAt);
      multi.set(key, JSON.stringify(session), 'PX', Math.max(1, expiresAtMs - nowMs) + SWEEP_GRACE_MS);
      multi.zadd(this.expiriesKey(), expiresAtMs, member);
    } else {
      multi.set(key, JSON.stringify(session), 'PX', ctx.ttlSeconds * 1000);
      multi.zrem(this.expiriesKey(), member);
    }
    const results = await multi.exec();
    const failed = results?.find(([error]) => error !== null);
    if (!results || failed) throw new Error(`storing offer session ${ctx.sessionId} failed: ${failed?.[0]?.message ?? 'transaction aborted'}`);
  }

  /**
   * Runs `work` holding the session's lock. Waits up to OFFER_LOCK_WAIT_MS (`waitMs` overrides; 0 = try
   * once) for a step in progress, then answers 409 CALLBACK_SLOTS.UNEXPECTED_OFFER_STEP (`status: busy`).
   */
  async withLock<T>(tenantId: string, sessionId: string, work: () => Promise<T>, waitMs = this.config.OFFER_LOCK_WAIT_MS): Promise<T> {
    const key = `${this.prefix}offer-lock:${tenantId}:${sessionId}`;
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) {
        throw callbackSlotsError('UNEXPECTED_OFFER_STEP', `another step of offer session ${sessionId} is still being handled`, [], { status: 'busy' });
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE_LOCK, 1, key, token);
    }
  }

  /** Sessions whose expiry is at or before `nowMs`, oldest first. */
  async due(nowMs: number, limit: number): Promise<{ tenantId: string; sessionId: string }[]> {
    const members = await this.redis.zrangebyscore(this.expiriesKey(), '-inf', nowMs, 'LIMIT', 0, limit);
    return members.map((member) => {
      const at = member.lastIndexOf(':');
      return { tenantId: member.slice(0, at), sessionId: member.slice(at + 1) };
    });
  }

  /** Removes a session from the expiry index (its key is gone, or it ended). */
  async unindex(tenantId: string, sessionId: string): Promise<void> {
    await this.redis.zrem(this.expiriesKey(), memberOf(tenantId, sessionId));
  }

  /** Deletes every session of a tenant and its index entries (tests clean up after themselves). */
  async forgetTenant(tenantId: string): Promise<void> {
    for (const pattern of [`${this.prefix}offer:${tenantId}:*`, `${this.prefix}offer-lock:${tenantId}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length) await this.redis.del(...keys);
      } while (cursor !== '0');
    }
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.zscan(this.expiriesKey(), cursor, 'MATCH', `${tenantId}:*`, 'COUNT', 500);
      cursor = next;
      const members = entries.filter((_, i) => i % 2 === 0);
      if (members.length) await this.redis.zrem(this.expiriesKey(), ...members);
    } while (cursor !== '0');
  }

  private sessionKey(tenantId: string, sessionId: string): string {
    return `${this.prefix}offer:${tenantId}:${sessionId}`;
  }

  private expiriesKey(): string {
    return `${this.prefix}offer-expiries`;
  }
}

const memberOf = (tenantId: string, sessionId: string): string => `${tenantId}:${sessionId}`;
