// A durable JetStream pull consumer with the platform's rules built in: validate at the edge, dead-letter
// what cannot be processed (never crash), retry handler failures with back-off, skip events already seen.
//
// NATS 2.9 has no multi-filter consumers (that needs 2.10): each consumer reads ONE stream with ONE
// filter subject. A service that needs events from several services starts one consumer per source
// stream (e.g. `router-replica-divert` on EVT_DIVERT, `router-replica-schedule` on EVT_SCHEDULE), each
// with its own durable name (hence its own dead-letter subject `dlq.<durable>`).
import {
  AckPolicy,
  ConsumerDebugEvents,
  ConsumerEvents,
  DeliverPolicy,
  millis,
  nanos,
  NatsError,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type MsgHdrs,
  type NatsConnection,
} from 'nats';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { publishDeadLetter, schemaFailureReason } from './dead-letter.publisher';
import { jetStreamNames, type JetStreamNames } from './jetstream-names.builder';
import { errorMessage, stderrMessagingLogger, type MessagingLogger } from './messaging.logger';
import { consumerMetrics, type ConsumerMetrics } from './messaging.metrics';
import type { ProcessedEventStore } from './processed-event.store';

export type JetStreamMessageMeta = {
  subject: string;
  stream: string;
  consumer: string;
  streamSequence: number;
  /** 1 on the first delivery. Counts every delivery, including ones returned at shutdown. */
  deliveryCount: number;
  redelivered: boolean;
  /** The payload's `id` (the event id for relayed events), or null when it has none. */
  eventId: string | null;
  /** When JetStream stored the message. */
  storedAt: Date;
  headers: MsgHdrs | undefined;
};

export type ConsumerDeliverPolicy = 'all' | 'new' | 'last' | 'last_per_subject';

export type JetStreamConsumerOptions<S extends z.ZodType> = {
  nc: NatsConnection;
  /** The one stream this consumer reads (see the note on multi-filter consumers above). */
  stream: string;
  /** Durable name: survives restarts; instances sharing it share the work. Also names the DLQ subject. */
  durable: string;
  /** One subject filter within the stream, e.g. `evt.divert.>` or `evt.divert.*.DivertRuleSet`. */
  filterSubject: string;
  /** Only for the dead-letter subject and stream: see jetStreamNames. */
  namespace?: string;
  /** Where a NEW durable starts (default 'all'). Ignored once it exists; changing it needs a new durable. */
  deliverPolicy?: ConsumerDeliverPolicy;
  /** Deliveries before a failing message is dead-lettered (default 5). */
  maxDeliver?: number;
  /**
   * How long JetStream waits for an ack before redelivering (default 5 s). While the handler runs we report
   * progress, so this bounds how long a message may wait in the prefetch buffer, and how long messages
   * held by a killed process (kill -9) stay invisible before another instance gets them (P6: <= 10 s).
   */
  ackWaitMs?: number;
  /** nak delays after the 1st, 2nd, … failed delivery; the last repeats (default 1 s, 5 s, 15 s, 30 s). */
  backoffMs?: readonly number[];
  /** Messages pulled ahead of processing (default 64). Keep prefetch × handler time well under ackWaitMs. */
  prefetch?: number;
  /** Unacknowledged messages JetStream allows this durable (default 1000), naks waiting out a delay included. */
  maxAckPending?: number;
  /** Validates the parsed JSON; failures are dead-lettered with the issue paths as reason. */
  schema?: S;
  /** Called once per message, one at a time, in stream order (except for redeliveries after a failure). */
  handler: (payload: z.output<S>, meta: JetStreamMessageMeta) => Promise<void>;
  /** Skips messages whose event id this durable already processed. Requires payloads with a uuid `id`. */
  idempotency?: ProcessedEventStore;
  logger?: MessagingLogger;
  /** Registers cc_jetstream_consumer_* metrics in this registry. */
  metrics?: Registry;
};

export type JetStreamConsumerStats = {
  durable: string;
  stream: string;
  running: boolean;
  handled: number;
  /** Skipped (acked) because the idempotency store had seen the event id. */
  duplicates: number;
  /** Handler failures nak'ed for a later retry. */
  retried: number;
  deadLettered: number;
  /** Prefetched messages handed back unprocessed at stop. */
  returned: number;
  lastError: string | null;
};

export type JetStreamConsumerInfo = JetStreamConsumerStats & {
  /** Server view: messages matching the filter not yet delivered. */
  numPending: number;
  /** Delivered, not yet acknowledged (includes naks waiting out their delay). */
  numAckPending: number;
  numRedelivered: number;
};

export type JetStreamConsumerHandle = {
  /**
   * Stops pulling, waits for the message in flight, flushes its ack. Prefetched messages the client had
   * already surfaced are nak'ed back at once; any it had not are redelivered after ackWaitMs.
   */
  stop(): Promise<void>;
  /** Local counters plus the server's view of the durable. */
  info(): Promise<JetStreamConsumerInfo>;
  stats(): JetStreamConsumerStats;
};

type Outcome = 'handled' | 'duplicate' | 'retried' | 'dead_lettered' | 'returned';

const DEFAULT_BACKOFF_MS = [1_000, 5_000, 15_000, 30_000] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const decoder = new TextDecoder('utf-8', { fatal: true });

const DELIVER_POLICIES: Record<ConsumerDeliverPolicy, DeliverPolicy> = {
  all: DeliverPolicy.All,
  new: DeliverPolicy.New,
  last: DeliverPolicy.Last,
  last_per_subject: DeliverPolicy.LastPerSubject,
};

/**
 * Creates (or updates) the durable pull consumer and starts processing; resolves once it is pulling.
 *
 * Outcomes per message:
 * - not UTF-8 JSON, or fails `schema`, or (with `idempotency`) has no uuid `id` → dead-lettered, term;
 * - event id already processed by this durable → ack, handler not called;
 * - handler resolves → mark id (if idempotency) → ack;
 * - handler throws → nak with back-off; at delivery `maxDeliver` → dead-lettered with the error, term.
 * If dead-lettering itself fails (no DEADLETTER stream, NATS down) the message is nak'ed, never dropped.
 *
 * JetStream's own max_deliver is left unlimited on purpose: a message the server stops delivering is
 * silently invisible, while a message we dead-letter can be inspected and replayed. The price: a message
 * that crashes the process (rather than throwing) is redelivered on every restart.
 */
export async function startJetStreamConsumer<S extends z.ZodType = z.ZodType<unknown>>(
  options: JetStreamConsumerOptions<S>,
): Promise<JetStreamConsumerHandle> {
  const consumer = new JetStreamConsumerRunner(options);
  await consumer.start();
  return {
    stop: () => consumer.stop(),
    info: () => consumer.info(),
    stats: () => consumer.stats(),
  };
}

class JetStreamConsumerRunner<S extends z.ZodType> {
  private readonly names: JetStreamNames;
  private readonly logger: MessagingLogger;
  private readonly metrics: ConsumerMetrics | null;
  private readonly maxDeliver: number;
  private readonly ackWaitMs: number;
  private readonly backoffMs: readonly number[];
  private readonly prefetch: number;
  private readonly js: JetStreamClient;
  private jsm: JetStreamManager | null = null;
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wakeUp: (() => void) | null = null;
  private counters: Omit<JetStreamConsumerStats, 'durable' | 'stream' | 'running'> = {
    handled: 0,
    duplicates: 0,
    retried: 0,
    deadLettered: 0,
    returned: 0,
    lastError: null,
  };

  constructor(private readonly options: JetStreamConsumerOptions<S>) {
    this.names = jetStreamNames(options.namespace);
    // Fails now on a durable that cannot be a subject token (it names the DLQ subject).
    this.names.deadLetterSubject(options.durable);
    this.logger = options.logger ?? stderrMessagingLogger;
    this.metrics = options.metrics ? consumerMetrics(options.metrics) : null;
    this.maxDeliver = positiveInteger('maxDeliver', options.maxDeliver ?? 5);
    this.ackWaitMs = positiveInteger('ackWaitMs', options.ackWaitMs ?? 5_000);
    this.prefetch = positiveInteger('prefetch', options.prefetch ?? 64);
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    if (this.backoffMs.length === 0 || this.backoffMs.some((ms) => !Number.isFinite(ms) || ms < 0)) {
      throw new Error('backoffMs must hold at least one delay >= 0');
    }
    this.js = options.nc.jetstream();
  }

  async start(): Promise<void> {
    this.jsm = await this.options.nc.jetstreamManager();
    await this.ensureDurable(this.jsm);
    const consumer = await this.js.consumers.get(this.options.stream, this.options.durable);
    this.messages = await consumer.consume({ max_messages: this.prefetch });
    void this.watchStatus(this.messages);
    this.loop = this.run(this.messages);
  }

  async stop(): Promise<void> {
    if (this.stopping) return this.loop ?? undefined;
    this.stopping = true;
    this.wakeUp?.();
    // Stops pulling; the loop finishes the message in flight and naks what the client already surfaced.
    await this.messages?.close();
    await this.loop;
    // ack/nak are fire-and-forget: make sure they reached the server before we say we stopped.
    if (!this.options.nc.isClosed()) await this.options.nc.flush();
    this.logger.info({ consumer: this.options.durable, ...this.counters }, 'JetStream consumer stopped');
  }

  stats(): JetStreamConsumerStats {
    return {
      durable: this.options.durable,
      stream: this.options.stream,
      running: this.loop !== null && !this.stopping,
      ...this.counters,
    };
  }

  async info(): Promise<JetStreamConsumerInfo> {
    const jsm = this.jsm ?? (await this.options.nc.jetstreamManager());
    const server = await jsm.consumers.info(this.options.stream, this.options.durable);
    return {
      ...this.stats(),
      numPending: server.num_pending,
      numAckPending: server.num_ack_pending,
      numRedelivered: server.num_redelivered,
    };
  }

  private async ensureDurable(jsm: JetStreamManager): Promise<void> {
    const config: Partial<ConsumerConfig> = {
      durable_name: this.options.durable,
      description: `cc consumer ${this.options.durable} of ${this.options.filterSubject}`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DELIVER_POLICIES[this.options.deliverPolicy ?? 'all'],
      filter_subject: this.options.filterSubject,
      ack_wait: nanos(this.ackWaitMs),
      max_deliver: -1,
      max_ack_pending: positiveInteger('maxAckPending', this.options.maxAckPending ?? 1_000),
    };
    try {
      // NATS 2.9 creates the durable, or updates its mutable fields if it exists (instances racing at boot
      // all send the same config). Immutable changes (deliver policy) are refused: use a new durable name.
      await jsm.consumers.add(this.options.stream, config);
    } catch (error) {
      const api = error instanceof NatsError ? error.api_error : undefined;
      throw new Error(
        `cannot create JetStream consumer ${this.options.durable} on ${this.options.stream}: ${
          api ? `${api.description} (err_code ${api.err_code})` : errorMessage(error)
        }`,
        { cause: error },
      );
    }
  }

  private async run(messages: ConsumerMessages): Promise<void> {
    let current = messages;
    for (let attempt = 0; !this.stopping; ) {
      try {
        for await (const msg of current) {
          if (this.stopping) {
            // Prefetched but not started: give it back now rather than after ack_wait.
            msg.nak();
            this.count('returned');
            continue;
          }
          attempt = 0;
          await this.process(msg);
        }
      } catch (error) {
        this.counters.lastError = errorMessage(error);
        this.logger.error(
          { consumer: this.options.durable, err: error, error: errorMessage(error) },
          'JetStream consumer stopped pulling; restarting it',
        );
      }
      if (this.stopping) break;
      if (this.options.nc.isClosed()) {
        this.logger.error({ consumer: this.options.durable }, 'NATS connection closed; JetStream consumer ends');
        break;
      }
      // The iterator ended without stop(): the consumer or stream was deleted, or the client gave up.
      await this.sleep(this.delayFor(++attempt));
      if (this.stopping) break;
      try {
        if (this.jsm) await this.ensureDurable(this.jsm);
        current = await (await this.js.consumers.get(this.options.stream, this.options.durable)).consume({
          max_messages: this.prefetch,
        });
        this.messages = current;
        void this.watchStatus(current);
      } catch (error) {
        this.counters.lastError = errorMessage(error);
        this.logger.error(
          { consumer: this.options.durable, err: error, error: errorMessage(error) },
          'cannot restart JetStream consumer; will retry',
        );
      }
    }
  }

  /** Never throws: every path ends in ack, nak or term. */
  private async process(msg: JsMsg): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(msg.data));
    } catch (error) {
      return this.deadLetter(msg, `malformed JSON: ${errorMessage(error)}`);
    }
    let payload: z.output<S> = json as z.output<S>;
    if (this.options.schema) {
      const parsed = this.options.schema.safeParse(json);
      if (!parsed.success) return this.deadLetter(msg, schemaFailureReason(parsed.error));
      payload = parsed.data;
    }
    const eventId = eventIdOf(json);
    const meta: JetStreamMessageMeta = {
      subject: msg.subject,
      stream: msg.info.stream,
      consumer: this.options.durable,
      streamSequence: msg.info.streamSequence,
      deliveryCount: msg.info.deliveryCount,
      redelivered: msg.redelivered,
      eventId,
      storedAt: new Date(millis(msg.info.timestampNanos)),
      headers: msg.headers,
    };

    const idempotency = this.options.idempotency;
    if (idempotency) {
      if (eventId === null || !UUID.test(eventId)) {
        return this.deadLetter(msg, 'idempotency: the payload has no uuid "id" (event id)');
      }
      try {
        if (await idempotency.seen(this.options.durable, eventId)) {
          msg.ack();
          this.count('duplicate');
          return;
        }
      } catch (error) {
        // Our infrastructure failing is not the message's fault: retry later, do not dead-letter for it.
        return this.retry(msg, error, 'idempotency store unavailable');
      }
    }

    const stopTimer = this.metrics?.handleSeconds.startTimer({ consumer: this.options.durable });
    // Tell JetStream we are still on it, so a handler slower than ack_wait is not delivered twice.
    const progress = setInterval(() => msg.working(), Math.max(1, Math.floor(this.ackWaitMs / 2)));
    try {
      await this.options.handler(payload, meta);
    } catch (error) {
      if (meta.deliveryCount >= this.maxDeliver) {
        return this.deadLetter(msg, `handler failed on delivery ${meta.deliveryCount} of ${this.maxDeliver}: ${errorMessage(error)}`);
      }
      return this.retry(msg, error, 'handler failed');
    } finally {
      clearInterval(progress);
      stopTimer?.();
    }

    if (idempotency && eventId !== null) {
      try {
        await idempotency.mark(this.options.durable, eventId);
      } catch (error) {
        // The handler's work is done; naking would run it again right now. Ack and say so loudly:
        // a later duplicate of this id falls back on the handler's own revision check.
        this.counters.lastError = errorMessage(error);
        this.logger.error(
          { consumer: this.options.durable, eventId, err: error, error: errorMessage(error) },
          'handled, but could not record the event id as processed',
        );
      }
    }
    msg.ack();
    this.count('handled');
  }

  private retry(msg: JsMsg, error: unknown, what: string): void {
    const delayMs = this.delayFor(msg.info.deliveryCount);
    msg.nak(delayMs);
    this.counters.lastError = errorMessage(error);
    this.count('retried');
    this.logger.warn(
      {
        consumer: this.options.durable,
        subject: msg.subject,
        streamSequence: msg.info.streamSequence,
        deliveryCount: msg.info.deliveryCount,
        retryInMs: delayMs,
        err: error,
        error: errorMessage(error),
      },
      `${what}; will retry`,
    );
  }

  private async deadLetter(msg: JsMsg, reason: string): Promise<void> {
    try {
      await publishDeadLetter(this.js, { names: this.names, consumer: this.options.durable, msg, reason });
    } catch (error) {
      return this.retry(msg, error, `could not dead-letter (${reason})`);
    }
    msg.term();
    this.count('dead_lettered');
    this.logger.warn(
      {
        consumer: this.options.durable,
        subject: msg.subject,
        streamSequence: msg.info.streamSequence,
        deadLetterSubject: this.names.deadLetterSubject(this.options.durable),
        reason,
      },
      'message dead-lettered',
    );
  }

  private count(outcome: Outcome): void {
    switch (outcome) {
      case 'handled':
        this.counters.handled++;
        break;
      case 'duplicate':
        this.counters.duplicates++;
        break;
      case 'retried':
        this.counters.retried++;
        break;
      case 'dead_lettered':
        this.counters.deadLettered++;
        break;
      case 'returned':
        this.counters.returned++;
        break;
      default: {
        const _exhaustive: never = outcome;
        throw new Error(`unknown outcome ${String(_exhaustive)}`);
      }
    }
    this.metrics?.messages.inc({ consumer: this.options.durable, outcome });
  }

  /** Back-off for the n-th (1-based) failed delivery; the last configured delay repeats. */
  private delayFor(n: number): number {
    return this.backoffMs[Math.min(Math.max(n, 1), this.backoffMs.length) - 1]!;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    }).finally(() => {
      this.wakeUp = null;
    });
  }

  private async watchStatus(messages: ConsumerMessages): Promise<void> {
    const fields = { consumer: this.options.durable, stream: this.options.stream };
    try {
      for await (const status of await messages.status()) {
        switch (status.type) {
          case ConsumerEvents.HeartbeatsMissed:
          case ConsumerEvents.ConsumerNotFound:
          case ConsumerEvents.StreamNotFound:
          case ConsumerEvents.ConsumerDeleted:
          case ConsumerEvents.NoResponders:
            this.logger.warn({ ...fields, event: status.type, data: status.data }, 'JetStream consumer is not receiving');
            break;
          case ConsumerEvents.OrderedConsumerRecreated:
          case ConsumerDebugEvents.DebugEvent:
          case ConsumerDebugEvents.Discard:
          case ConsumerDebugEvents.Reset:
          case ConsumerDebugEvents.Next:
            // Ordered consumers only, or routine pull bookkeeping.
            break;
          default: {
            const _exhaustive: never = status.type;
            this.logger.warn({ ...fields, event: String(_exhaustive) }, 'unknown JetStream consumer status');
          }
        }
      }
    } catch (error) {
      this.logger.error({ ...fields, err: error, error: errorMessage(error) }, 'JetStream consumer status monitor failed');
    }
  }
}

const eventIdOf = (json: unknown): string | null => {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const id = (json as { id?: unknown }).id;
  return typeof id === 'string' ? id : null;
};

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}
