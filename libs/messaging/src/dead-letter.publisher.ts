// Parks a message a consumer cannot process on `dlq.<consumer>` (stream DEADLETTER), body verbatim and
// the why in headers, so an operator can inspect it and replay it; the consumer then moves on.
import { headers, type JetStreamClient, type JsMsg, type PubAck } from 'nats';
import type { z } from 'zod';
import type { JetStreamNames } from './jetstream-names.builder';

export const DEAD_LETTER_HEADERS = {
  /** Human readable: `malformed JSON: …`, `schema: data.extension: Invalid input …`, `handler failed 5 times: …`. */
  reason: 'Cc-Dlq-Reason',
  consumer: 'Cc-Dlq-Consumer',
  /** The subject the message was published to (replay = publish the body there again). */
  subject: 'Cc-Dlq-Subject',
  stream: 'Cc-Dlq-Stream',
  streamSeq: 'Cc-Dlq-Stream-Seq',
  deliveryCount: 'Cc-Dlq-Delivery-Count',
  /** The original Nats-Msg-Id (the event id for relayed events), if any. */
  originalMsgId: 'Cc-Dlq-Original-Msg-Id',
} as const;

const MAX_REASON_LENGTH = 1_000;

/** Header values cannot hold CR/LF; a stack trace or a long zod report is flattened and cut. */
const headerValue = (text: string): string => {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return flat.length > MAX_REASON_LENGTH ? `${flat.slice(0, MAX_REASON_LENGTH - 1)}…` : flat;
};

/** `schema: data.rules.0.target: Invalid input: expected string, received number; id: Invalid UUID` */
export const schemaFailureReason = (error: z.ZodError): string =>
  `schema: ${error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ')}`;

export async function publishDeadLetter(
  js: JetStreamClient,
  args: { names: JetStreamNames; consumer: string; msg: JsMsg; reason: string },
): Promise<PubAck> {
  const { msg, consumer } = args;
  const h = headers();
  // Keep the publisher's own headers (correlation etc.), but not NATS's control headers.
  for (const key of msg.headers?.keys() ?? []) {
    if (key.toLowerCase().startsWith('nats-')) continue;
    for (const value of msg.headers?.values(key) ?? []) h.append(key, value);
  }
  h.set(DEAD_LETTER_HEADERS.reason, headerValue(args.reason));
  h.set(DEAD_LETTER_HEADERS.consumer, consumer);
  h.set(DEAD_LETTER_HEADERS.subject, msg.subject);
  h.set(DEAD_LETTER_HEADERS.stream, msg.info.stream);
  h.set(DEAD_LETTER_HEADERS.streamSeq, String(msg.info.streamSequence));
  h.set(DEAD_LETTER_HEADERS.deliveryCount, String(msg.info.deliveryCount));
  const originalMsgId = msg.headers?.get('Nats-Msg-Id');
  if (originalMsgId) h.set(DEAD_LETTER_HEADERS.originalMsgId, originalMsgId);
  return js.publish(args.names.deadLetterSubject(consumer), msg.data, {
    headers: h,
    // A crash between this publish and the term re-delivers the message: dead-letter it only once.
    msgID: `${consumer}:${msg.info.stream}:${msg.info.streamSequence}`,
    expect: { streamName: args.names.deadLetterStream },
  });
}
