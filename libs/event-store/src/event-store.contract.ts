// The one behaviour both event-store adapters must show (DESIGN.md: "same contract test suite"). Each adapter's
// *.int.spec.ts runs it against the real backend. Every test writes only to streams under its own random
// prefix, so the suite is also correct on a shared server that holds other data.
import type { EventEnvelope } from '@cc/contracts';
import { randomUUID } from 'node:crypto';
import { ExpectedRevisionConflict, InvalidAppendRequest, NewStreamsRejected } from './errors';
import type { AllSubscription, AppendResult, EventStore, ExpectedRevision, RecordedEvent } from './event-store.port';

export type EventStoreUnderTest = { store: EventStore; cleanup: () => Promise<void> };

type Deferred<T> = { promise: Promise<T>; resolve: (value: T) => void };

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A unique prefix per test, usable as tenant id and stream-id prefix. */
function uniquePrefix(): string {
  return `t-${randomUUID().slice(0, 8)}`;
}

let sequence = 0;

export function testEvent(tenantId: string, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  sequence++;
  return {
    id: randomUUID(),
    type: 'SomethingHappened',
    version: 1,
    tenantId,
    occurredAt: new Date(Date.UTC(2026, 10, 23, 9, 0, 0, sequence % 1000)).toISOString(),
    correlationId: randomUUID(),
    causationId: null,
    actor: null,
    data: { n: sequence },
    ...overrides,
  };
}

/** Starts a subscription whose handler records every event it acknowledges. */
async function recordingSubscription(
  store: EventStore,
  options: { checkpointName: string; streamPrefixes?: string[]; startFrom?: 'start' | 'end'; batchSize?: number },
): Promise<{ subscription: AllSubscription; received: RecordedEvent[]; batches: RecordedEvent[][] }> {
  const received: RecordedEvent[] = [];
  const batches: RecordedEvent[][] = [];
  const subscription = await store.subscribeAll({
    ...options,
    handler: async (events) => {
      batches.push(events);
      received.push(...events);
    },
  });
  return { subscription, received, batches };
}

function envelopeOf(event: RecordedEvent): EventEnvelope {
  const { id, type, version, tenantId, occurredAt, correlationId, causationId, actor, data } = event;
  return { id, type, version, tenantId, occurredAt, correlationId, causationId, actor, data };
}

export function describeEventStoreContract(name: string, makeStore: () => Promise<EventStoreUnderTest>): void {
  describe(`${name}: event store contract`, () => {
    jest.setTimeout(30_000);

    let store: EventStore;
    let cleanup: () => Promise<void>;
    let p: string;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      p = uniquePrefix();
    });

    afterEach(async () => {
      await cleanup();
    });

    describe('append and readStream', () => {
      it('reads back every envelope field, with revisions from 0 and increasing positions', async () => {
        const stream = `${p}-roundtrip`;
        const written = [
          testEvent(p, { causationId: null, actor: null, data: { nested: { list: [1, 'two', null], flag: true } } }),
          testEvent(p, { type: 'OtherHappened', version: 3, causationId: randomUUID(), actor: 'user:ana@acme.test', data: { text: 'Zürich ☎ "quoted" \\ back' } }),
          testEvent(p, { data: [] }),
        ];

        const result = await store.append(stream, written, 'no_stream');
        const read = await store.readStream(stream);

        expect(read.map(envelopeOf)).toEqual(written);
        expect(read.map((event) => [event.streamId, event.revision])).toEqual([
          [stream, 0],
          [stream, 1],
          [stream, 2],
        ]);
        expect(store.comparePositions(read[0].position, read[1].position)).toBeLessThan(0);
        expect(store.comparePositions(read[1].position, read[2].position)).toBeLessThan(0);
        expect(result).toEqual({ nextExpectedRevision: 2, position: read[2].position });
      });

      it('reads a slice with fromRevision and maxCount, and a missing stream as []', async () => {
        const stream = `${p}-slice`;
        await store.append(stream, [testEvent(p), testEvent(p), testEvent(p), testEvent(p), testEvent(p)], 'no_stream');

        expect((await store.readStream(stream, { fromRevision: 1, maxCount: 2 })).map((e) => e.revision)).toEqual([1, 2]);
        expect((await store.readStream(stream, { fromRevision: 3 })).map((e) => e.revision)).toEqual([3, 4]);
        expect(await store.readStream(stream, { fromRevision: 9 })).toEqual([]);
        expect(await store.readStream(`${p}-missing`)).toEqual([]);
      });

      it('an empty append stores nothing, reports the current revision and still checks the expectation', async () => {
        const stream = `${p}-empty`;
        expect(await store.append(stream, [], 'any')).toMatchObject({ nextExpectedRevision: -1 });
        expect(await store.readStream(stream)).toEqual([]);

        const written = await store.append(stream, [testEvent(p), testEvent(p)], 'no_stream');
        expect(await store.append(stream, [], 1)).toEqual(written);
        await expect(store.append(stream, [], 0)).rejects.toBeInstanceOf(ExpectedRevisionConflict);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('rejects malformed appends before writing anything', async () => {
        const stream = `${p}-invalid`;
        const event = testEvent(p);
        await expect(store.append(stream, [{ ...event, id: 'not-a-uuid' }], 'any')).rejects.toBeInstanceOf(InvalidAppendRequest);
        await expect(store.append(stream, [event, { ...event }], 'any')).rejects.toBeInstanceOf(InvalidAppendRequest);
        await expect(store.append(stream, [event], -2)).rejects.toBeInstanceOf(InvalidAppendRequest);
        await expect(store.append(`$${stream}`, [event], 'any')).rejects.toBeInstanceOf(InvalidAppendRequest);
        expect(await store.readStream(stream)).toEqual([]);
      });
    });

    describe('optimistic concurrency', () => {
      type Case = { title: string; existing: number; expected: ExpectedRevision; next?: number; actual?: number | null };
      const cases: Case[] = [
        { title: 'a number equal to the last revision appends', existing: 2, expected: 1, next: 2 },
        { title: 'a number behind the stream conflicts', existing: 2, expected: 0, actual: 1 },
        { title: 'a number ahead of the stream conflicts (no gaps)', existing: 2, expected: 5, actual: 1 },
        { title: 'a number on a missing stream conflicts', existing: 0, expected: 0, actual: null },
        { title: '-1 on a missing stream appends (same as no_stream)', existing: 0, expected: -1, next: 0 },
        { title: 'no_stream on a missing stream appends', existing: 0, expected: 'no_stream', next: 0 },
        { title: 'no_stream on an existing stream conflicts', existing: 1, expected: 'no_stream', actual: 0 },
        { title: 'stream_exists on an existing stream appends', existing: 1, expected: 'stream_exists', next: 1 },
        { title: 'stream_exists on a missing stream conflicts', existing: 0, expected: 'stream_exists', actual: null },
        { title: 'any on a missing stream appends', existing: 0, expected: 'any', next: 0 },
        { title: 'any on an existing stream appends', existing: 2, expected: 'any', next: 2 },
      ];

      const sized = cases.flatMap((c) => [1, 3].map((size) => ({ ...c, size })));
      it.each(sized)('$title ($size event(s))', async ({ existing, expected, next, actual, size }) => {
        const stream = `${p}-occ`;
        if (existing > 0) {
          await store.append(stream, Array.from({ length: existing }, () => testEvent(p)), 'no_stream');
        }
        const attempt = store.append(stream, Array.from({ length: size }, () => testEvent(p)), expected);

        if (next !== undefined) {
          await expect(attempt).resolves.toMatchObject({ nextExpectedRevision: next + size - 1 });
          expect((await store.readStream(stream)).map((e) => e.revision)).toEqual(Array.from({ length: existing + size }, (_, i) => i));
        } else {
          const error = await attempt.then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(ExpectedRevisionConflict);
          expect(error).toMatchObject({ streamId: stream, expected: String(expected), actual });
          expect(await store.readStream(stream)).toHaveLength(existing);
        }
      });

      it('of appends racing with the same expected revision, exactly one wins each round', async () => {
        const stream = `${p}-race`;
        let expected: ExpectedRevision = 'no_stream';
        for (let round = 0; round < 5; round++) {
          const contenders = Array.from({ length: 8 }, () => store.append(stream, [testEvent(p)], expected));
          const outcomes = await Promise.allSettled(contenders);
          const won = outcomes.filter((o): o is PromiseFulfilledResult<AppendResult> => o.status === 'fulfilled');
          const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');

          expect(won).toHaveLength(1);
          expect(won[0].value.nextExpectedRevision).toBe(round);
          for (const loss of lost) expect(loss.reason).toBeInstanceOf(ExpectedRevisionConflict);
          expected = round;
        }
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      });

      it('"any" appends racing on one stream all succeed, with contiguous revisions', async () => {
        const stream = `${p}-any-race`;
        const results = await Promise.all(Array.from({ length: 20 }, () => store.append(stream, [testEvent(p)], 'any')));

        expect(results.map((r) => r.nextExpectedRevision).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      });
    });

    describe('appendNewStreams', () => {
      it('creates every stream with revisions from 0 and answers each one\'s result, in order', async () => {
        const streams = [
          { streamId: `${p}-new-a`, events: [testEvent(p), testEvent(p)] },
          { streamId: `${p}-new-b`, events: [testEvent(p)] },
          { streamId: `${p}-new-c`, events: [testEvent(p), testEvent(p), testEvent(p)] },
        ];

        const results = await store.appendNewStreams(streams);

        for (const [index, { streamId, events }] of streams.entries()) {
          const read = await store.readStream(streamId);
          expect(read.map(envelopeOf)).toEqual(events);
          expect(read.map((event) => event.revision)).toEqual(events.map((_, revision) => revision));
          expect(results[index]).toEqual({ nextExpectedRevision: events.length - 1, position: read[read.length - 1].position });
        }
      });

      it('refuses a batch with a stream that exists; appended one by one, the others are stored and that one conflicts', async () => {
        const existing = `${p}-exists`;
        await store.append(existing, [testEvent(p)], 'no_stream');
        const streams = [
          { streamId: `${p}-fresh-1`, events: [testEvent(p)] },
          { streamId: existing, events: [testEvent(p)] },
          { streamId: `${p}-fresh-2`, events: [testEvent(p), testEvent(p)] },
        ];

        await expect(store.appendNewStreams(streams)).rejects.toBeInstanceOf(NewStreamsRejected);
        const oneByOne = await Promise.allSettled(streams.map((s) => store.append(s.streamId, s.events, 'no_stream')));

        expect(oneByOne.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((oneByOne[1] as PromiseRejectedResult).reason).toBeInstanceOf(ExpectedRevisionConflict);
        expect(await store.readStream(existing)).toHaveLength(1);
        expect((await store.readStream(`${p}-fresh-2`)).map((e) => e.id)).toEqual(streams[2].events.map((e) => e.id));
      });

      it('refuses malformed batches before writing anything', async () => {
        const event = testEvent(p);
        await expect(store.appendNewStreams([])).rejects.toBeInstanceOf(InvalidAppendRequest);
        await expect(store.appendNewStreams([{ streamId: `${p}-empty`, events: [] }])).rejects.toBeInstanceOf(InvalidAppendRequest);
        await expect(
          store.appendNewStreams([
            { streamId: `${p}-twice`, events: [testEvent(p)] },
            { streamId: `${p}-twice`, events: [testEvent(p)] },
          ]),
        ).rejects.toBeInstanceOf(InvalidAppendRequest);
        await expect(
          store.appendNewStreams([
            { streamId: `${p}-id-1`, events: [event] },
            { streamId: `${p}-id-2`, events: [{ ...event }] },
          ]),
        ).rejects.toBeInstanceOf(InvalidAppendRequest);
        expect(await store.readStream(`${p}-twice`)).toEqual([]);
        expect(await store.readStream(`${p}-id-1`)).toEqual([]);
      });
    });

    describe('idempotency by event id', () => {
      it('retrying a stored append returns its original result and stores nothing twice', async () => {
        const stream = `${p}-retry`;
        const batch = [testEvent(p), testEvent(p)];
        const original = await store.append(stream, batch, 'no_stream');

        expect(await store.append(stream, batch, 'no_stream')).toEqual(original);

        await store.append(stream, [testEvent(p)], 1);
        expect(await store.append(stream, batch, 'no_stream')).toEqual(original);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual([batch[0].id, batch[1].id, expect.any(String)]);
      });
    });

    describe('subscribeAll', () => {
      it('delivers every event of 20 concurrent writers exactly once, in position order and stream order', async () => {
        const { subscription, received } = await recordingSubscription(store, {
          checkpointName: `${p}-all`,
          startFrom: 'end',
          batchSize: 50,
        });
        const positions = new Map<string, string>();
        await Promise.all(
          Array.from({ length: 20 }, async (_, writer) => {
            for (let i = 0; i < 50; i++) {
              const event = testEvent(p, { data: { writer, i } });
              const stream = `${p}-s${(writer * 13 + i * 7) % 200}`;
              const result = await store.append(stream, [event], 'any');
              positions.set(event.id, result.position);
            }
          }),
        );
        await subscription.caughtUp();
        await subscription.stop();

        for (let i = 1; i < received.length; i++) {
          expect(store.comparePositions(received[i - 1].position, received[i].position)).toBeLessThan(0);
        }
        const ours = received.filter((event) => event.streamId.startsWith(`${p}-`));
        expect(ours).toHaveLength(1000);
        expect(new Set(ours.map((event) => event.id)).size).toBe(1000);
        for (const event of ours) expect(event.position).toBe(positions.get(event.id));
        const revisionsByStream = new Map<string, number[]>();
        for (const event of ours) revisionsByStream.set(event.streamId, [...(revisionsByStream.get(event.streamId) ?? []), event.revision]);
        expect(revisionsByStream.size).toBe(200);
        for (const revisions of revisionsByStream.values()) {
          expect(revisions).toEqual(revisions.map((_, i) => i));
        }
        expect(store.comparePositions(subscription.lastPosition() ?? '', ours[ours.length - 1].position)).toBeGreaterThanOrEqual(0);
      });

      it('resumes after stop from its checkpoint: nothing twice, nothing missed', async () => {
        const checkpointName = `${p}-resume`;
        const first = Array.from({ length: 10 }, (_, i) => ({ stream: `${p}-r${i % 2}`, event: testEvent(p) }));
        const second = Array.from({ length: 10 }, (_, i) => ({ stream: `${p}-r${i % 3}`, event: testEvent(p) }));
        for (const { stream, event } of first) await store.append(stream, [event], 'any');

        const run1 = await recordingSubscription(store, { checkpointName, streamPrefixes: [p], batchSize: 3 });
        await run1.subscription.caughtUp();
        await run1.subscription.stop();
        const stoppedAt = run1.subscription.lastPosition();

        for (const { stream, event } of second) await store.append(stream, [event], 'any');
        const run2 = await recordingSubscription(store, { checkpointName, streamPrefixes: [p], batchSize: 3 });
        await run2.subscription.caughtUp();
        await run2.subscription.stop();

        expect(run1.received.map((e) => e.id)).toEqual(first.map((x) => x.event.id));
        expect(run2.received.map((e) => e.id)).toEqual(second.map((x) => x.event.id));
        expect(stoppedAt).not.toBeNull();
        expect(store.comparePositions(stoppedAt as string, run2.received[0].position)).toBeLessThan(0);
      });

      it('startFrom "end" skips what was stored before its first start, and keeps that start point', async () => {
        const checkpointName = `${p}-end`;
        await store.append(`${p}-before`, [testEvent(p)], 'no_stream');

        const run1 = await recordingSubscription(store, { checkpointName, streamPrefixes: [p], startFrom: 'end' });
        await run1.subscription.caughtUp();
        await run1.subscription.stop();
        const later = testEvent(p);
        await store.append(`${p}-after`, [later], 'no_stream');
        const run2 = await recordingSubscription(store, { checkpointName, streamPrefixes: [p], startFrom: 'end' });
        await run2.subscription.caughtUp();
        await run2.subscription.stop();

        expect(run1.received).toEqual([]);
        expect(run2.received.map((e) => e.id)).toEqual([later.id]);
      });

      it('streamPrefixes delivers only streams starting with a prefix (taken literally) and catches up past the rest', async () => {
        const wanted = [`${p}-a_1`, `${p}-c-1`];
        const unwanted = [`${p}-ab1`, `${p}-b-1`];
        const appended: { stream: string; id: string }[] = [];
        for (let i = 0; i < 3; i++) {
          for (const stream of [...wanted, ...unwanted]) {
            const event = testEvent(p);
            await store.append(stream, [event], 'any');
            appended.push({ stream, id: event.id });
          }
        }

        const { subscription, received } = await recordingSubscription(store, {
          checkpointName: `${p}-prefixes`,
          streamPrefixes: [`${p}-a_`, `${p}-c`],
        });
        await subscription.caughtUp();
        await subscription.stop();

        expect(received.map((e) => e.id)).toEqual(appended.filter((a) => wanted.includes(a.stream)).map((a) => a.id));
      });

      it('a failing handler gets the same batch again after a back-off, and onError hears of each failure', async () => {
        const events = [testEvent(p), testEvent(p)];
        await store.append(`${p}-failing`, events, 'no_stream');
        const calls: string[][] = [];
        const failures: number[] = [];

        const subscription = await store.subscribeAll({
          checkpointName: `${p}-failing`,
          streamPrefixes: [p],
          handler: async (batch) => {
            calls.push(batch.map((e) => e.id));
            if (calls.length <= 2) throw new Error(`projection down (call ${calls.length})`);
          },
          onError: (_error, attempt) => failures.push(attempt),
        });
        await subscription.caughtUp();
        await subscription.stop();

        expect(failures).toEqual([1, 2]);
        expect(calls).toEqual([events.map((e) => e.id), events.map((e) => e.id), events.map((e) => e.id)]);
      });

      it('stop() waits for the batch in flight and keeps its checkpoint', async () => {
        const event = testEvent(p);
        await store.append(`${p}-inflight`, [event], 'no_stream');
        const handlerEntered = deferred();
        const releaseHandler = deferred();
        const subscription = await store.subscribeAll({
          checkpointName: `${p}-inflight`,
          streamPrefixes: [p],
          handler: async () => {
            handlerEntered.resolve();
            await releaseHandler.promise;
          },
        });
        await handlerEntered.promise;

        let stopped = false;
        const stopping = subscription.stop().then(() => (stopped = true));
        await store.readStream(`${p}-inflight`); // a full round trip to the backend while the handler is still busy
        expect(stopped).toBe(false);
        releaseHandler.resolve();
        await stopping;

        const read = await store.readStream(`${p}-inflight`);
        expect(store.comparePositions(subscription.lastPosition() ?? '', read[0].position)).toBeGreaterThanOrEqual(0);
        const restarted = await recordingSubscription(store, { checkpointName: `${p}-inflight`, streamPrefixes: [p] });
        await restarted.subscription.caughtUp();
        await restarted.subscription.stop();
        expect(restarted.received).toEqual([]);
      });

      it('refuses malformed options, and a second subscription under a running checkpoint name', async () => {
        const handler = async (): Promise<void> => undefined;
        await expect(store.subscribeAll({ checkpointName: `${p}-bad`, streamPrefixes: [], handler })).rejects.toThrow(TypeError);
        await expect(store.subscribeAll({ checkpointName: `${p}-bad`, batchSize: 0, handler })).rejects.toThrow(TypeError);
        await expect(store.subscribeAll({ checkpointName: '', handler })).rejects.toThrow(TypeError);

        const running = await store.subscribeAll({ checkpointName: `${p}-twice`, streamPrefixes: [p], handler });
        await expect(store.subscribeAll({ checkpointName: `${p}-twice`, streamPrefixes: [p], handler })).rejects.toThrow(/already running/);
        await running.stop();
        const again = await store.subscribeAll({ checkpointName: `${p}-twice`, streamPrefixes: [p], handler });
        await again.stop();
      });

      it('caughtUp() after stop() rejects instead of hanging', async () => {
        const { subscription } = await recordingSubscription(store, { checkpointName: `${p}-stopped`, streamPrefixes: [p] });
        await subscription.stop();
        await expect(subscription.caughtUp()).rejects.toThrow(/stopped/);
      });
    });
  });
}

