// Calls another service's NATS request-reply handler (Nest's NATS transport wire format) and turns
// an error reply back into a RemoteProblemError carrying the callee's problem (code survives).
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import { ProblemSchema } from '@cc/contracts';
import { RemoteProblemError } from '../errors/to-problem';
import { currentContext } from '../logging/request-context';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function rpcRequest<T>(nc: NatsConnection, subject: string, data: unknown, options: { timeoutMs?: number } = {}): Promise<T> {
  const correlationId = currentContext()?.correlationId ?? randomUUID();
  const message = await nc.request(subject, encoder.encode(JSON.stringify({ pattern: subject, data, id: correlationId })), {
    timeout: options.timeoutMs ?? 5000,
  });
  const reply = JSON.parse(decoder.decode(message.data)) as { response?: unknown; err?: unknown };
  if (reply.err !== undefined && reply.err !== null) {
    const problem = ProblemSchema.safeParse(reply.err);
    throw new RemoteProblemError(
      problem.success ? problem.data : { type: 'about:blank', title: String(JSON.stringify(reply.err)), status: 502, code: 'RPC.REMOTE_ERROR' },
    );
  }
  return reply.response as T;
}
