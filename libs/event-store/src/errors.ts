// Our own words for event-store failures, whichever backend raised them.
export class ExpectedRevisionConflict extends Error {
  readonly code = 'EVENT_STORE.EXPECTED_REVISION_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: number | null,
  ) {
    super(`stream ${streamId}: expected revision ${expected}, actual ${actual === null ? 'no stream' : actual}`);
    this.name = 'ExpectedRevisionConflict';
  }
}

export class DuplicateEventId extends Error {
  readonly code = 'EVENT_STORE.DUPLICATE_EVENT_ID';
  constructor(readonly eventId: string, readonly streamId: string) {
    super(`event ${eventId} is already stored, but not as this append to ${streamId}`);
    this.name = 'DuplicateEventId';
  }
}

/** The append itself is malformed (bad event id, duplicate id inside one append, bad revision): a caller bug, never retried. */
export class InvalidAppendRequest extends Error {
  readonly code = 'EVENT_STORE.INVALID_APPEND_REQUEST';
  constructor(
    readonly streamId: string,
    readonly reason: string,
  ) {
    super(`append to ${streamId} rejected: ${reason}`);
    this.name = 'InvalidAppendRequest';
  }
}

/** `caughtUp()` cannot resolve any more because the subscription was stopped first. */
export class SubscriptionStopped extends Error {
  readonly code = 'EVENT_STORE.SUBSCRIPTION_STOPPED';
  constructor(readonly checkpointName: string) {
    super(`subscription ${checkpointName} stopped before it caught up`);
    this.name = 'SubscriptionStopped';
  }
}

/** appendNewStreams refused the batch: one of its streams exists, or one of its event ids is stored already. */
export class NewStreamsRejected extends Error {
  readonly code = 'EVENT_STORE.NEW_STREAMS_REJECTED';
  constructor(
    readonly streamIds: readonly string[],
    readonly reason: string,
  ) {
    super(`appending ${streamIds.length} new streams was refused: ${reason}`);
    this.name = 'NewStreamsRejected';
  }
}
