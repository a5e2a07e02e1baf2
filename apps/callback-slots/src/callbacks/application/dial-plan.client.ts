// Asks the call-router who takes a callback attempt (NATS request-reply). Any failure — no responder,
// a timeout, an error reply, a reply that breaks the contract, nobody available — comes back as a
// reason to record, never as an exception: the dispatcher records it and asks again later.
import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { NATS_CONNECTION } from '@cc/messaging';
import { RemoteProblemError, rpcRequest } from '@cc/platform';
import { CallbackDialPlanReplySchema, type CallbackDialPlanRequest } from '@cc/contracts';
import type { AgentSide } from '../domain/dial-legs';
import { CALLBACKS_CONFIG, type CallbacksConfig } from '../callbacks.config';

export type DialPlanAnswer = { kind: 'planned'; agent: AgentSide; customerRingSeconds: number } | { kind: 'unavailable'; reason: string };

export const DIAL_PLAN_SUBJECT = Symbol('DIAL_PLAN_SUBJECT');

@Injectable()
export class DialPlanClient {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CALLBACKS_CONFIG) private readonly config: CallbacksConfig,
    @Inject(DIAL_PLAN_SUBJECT) private readonly subject: string,
  ) {}

  async request(request: CallbackDialPlanRequest): Promise<DialPlanAnswer> {
    let reply: unknown;
    try {
      reply = await rpcRequest<unknown>(this.nc, this.subject, request, { timeoutMs: this.config.CALLBACK_DIAL_PLAN_TIMEOUT_MS });
    } catch (error) {
      return { kind: 'unavailable', reason: reasonOf(error, this.subject, this.config.CALLBACK_DIAL_PLAN_TIMEOUT_MS) };
    }
    const parsed = CallbackDialPlanReplySchema.safeParse(reply);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { kind: 'unavailable', reason: `invalid dial plan from ${this.subject}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'}`.slice(0, 500) };
    }
    if (parsed.data.outcome === 'no-agent') return { kind: 'unavailable', reason: `no-agent: ${parsed.data.reason}`.slice(0, 500) };
    return { kind: 'planned', agent: parsed.data.agent, customerRingSeconds: parsed.data.customerRingSeconds };
  }
}

function reasonOf(error: unknown, subject: string, timeoutMs: number): string {
  if (error instanceof RemoteProblemError) return `${subject} answered ${error.problem.code}: ${error.problem.title}`.slice(0, 500);
  const code = (error as { code?: string }).code;
  // nats.js: 503 = no responders on the subject, TIMEOUT = nobody answered in time.
  if (code === '503') return `no responder on ${subject}`;
  if (code === 'TIMEOUT') return `${subject} did not answer within ${timeoutMs} ms`;
  return `${subject} failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
}
