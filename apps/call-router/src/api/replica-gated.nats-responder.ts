// Serves the NATS request-reply subjects that need the routing replicas (`call-router.route`, `.progress`,
// `.offer`, `.callback-plan`, `.flow-list`) with plain queue subscriptions (queue group "call-router") in Nest's NATS wire
// format: request `{pattern, data, id}` -> reply `{response, isDisposed, id}` or `{err: problem, …}`, so Nest
// clients and rpcRequest() work unchanged. Two reasons not to use @MessagePattern here:
// - an instance joins these queue groups only once its replicas are caught up, so during a restart or
//   scale-out no request lands on an instance that would have to refuse it (Nest subscribes at start);
// - a routing decision takes microseconds and Nest's transport (observables, interceptors, serializer)
//   costs more than that per request (measured in routing-throughput.int.spec.ts).
// Handlers stay thin: validate with the contract schema, call one application function.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Msg, NatsConnection, Subscription } from 'nats';
import {
  CallbackDialPlanRequestSchema,
  CallFlowRpc,
  CallbackDispatchSubjects,
  CallOfferRequestSchema,
  CallProgressSchema,
  CallRouterSubjects,
  RouteRequestSchema,
  type Problem,
} from '@cc/contracts';
import { NATS_CONNECTION } from '@cc/messaging';
import { parseOrThrow, RemoteProblemError, requestContext, SERVICE_NAME, toProblem } from '@cc/platform';
import { CallProgressService } from '../calls/call-progress.service';
import { planCallbackDial } from '../domain/callback-dial.planner';
import { CallFlowsService } from '../flows/call-flows.service';
import { RoutingReplicas } from '../domain/replicas';
import { ReplicaSync } from '../replicas/replica-sync';
import { ROUTE_TRANSPORT } from '../route-transport.token';
import { RoutingService } from '../routing/routing.service';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

type Handler = (data: unknown, correlationId: string) => unknown;

@Injectable()
export class ReplicaGatedNatsResponder {
  private readonly logger = new Logger('ReplicaGatedNatsResponder');
  private subscriptions: Subscription[] = [];
  private stopped = false;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_NAME) private readonly queue: string,
    @Inject(ROUTE_TRANSPORT) private readonly routeTransport: 'raw' | 'nest',
    private readonly routing: RoutingService,
    private readonly calls: CallProgressService,
    private readonly flows: CallFlowsService,
    private readonly replicas: RoutingReplicas,
    private readonly sync: ReplicaSync,
  ) {}

  /** Subscribes once the replicas are caught up (returns at once). */
  start(): void {
    void this.sync.whenReady().then(() => {
      if (this.stopped || this.nc.isClosed()) return;
      for (const [subject, handler] of this.handlers()) {
        this.subscriptions.push(
          this.nc.subscribe(subject, {
            queue: this.queue,
            callback: (error, msg) => {
              if (error) this.logger.error(`${subject} subscription error: ${error.message}`);
              else this.handle(subject, handler, msg);
            },
          }),
        );
      }
      this.logger.log(`serving ${this.subscriptions.length} replica-backed subjects (queue ${this.queue})`);
    });
  }

  /** Leaves the queue groups and answers what was already delivered (drain), before NATS closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    if (this.nc.isClosed()) return;
    await Promise.all(subscriptions.filter((s) => !s.isClosed()).map((s) => s.drain()));
  }

  private handlers(): Array<[string, Handler]> {
    const handlers: Array<[string, Handler]> = [
      [
        CallFlowRpc.list.subject,
        (data) => {
          const { tenantId, actor } = parseOrThrow(CallFlowRpc.list.request, data);
          return { items: this.flows.list({ tenantId, actor }) };
        },
      ],
      [
        CallRouterSubjects.progress,
        async (data, correlationId) => {
          const result = await this.calls.progress(parseOrThrow(CallProgressSchema, data), { correlationId, actor: null });
          // Without a reporter's event id nothing is deduplicated, so every event is applied.
          if (result.duplicate) throw new Error('a progress event without causation id was reported as a duplicate');
          return result.reply;
        },
      ],
      [
        CallRouterSubjects.offer,
        (data, correlationId) => {
          const { tenantId, callId } = parseOrThrow(CallOfferRequestSchema, data);
          return this.calls.offer(tenantId, callId, { correlationId, actor: null });
        },
      ],
      [
        CallbackDispatchSubjects.dialPlan,
        (data) => {
          const request = parseOrThrow(CallbackDialPlanRequestSchema, data);
          return planCallbackDial(this.replicas.publishedFlows(request.tenantId), this.replicas.forTenant(request.tenantId), {
            callSlotId: request.callSlotId,
            at: new Date(request.at),
          });
        },
      ],
    ];
    if (this.routeTransport === 'raw') {
      handlers.push([CallRouterSubjects.route, (data, correlationId) => this.routing.route(parseOrThrow(RouteRequestSchema, data), { correlationId, actor: null })]);
    }
    return handlers;
  }

  private handle(subject: string, handler: Handler, msg: Msg): void {
    let id: string | undefined;
    try {
      const packet = JSON.parse(decoder.decode(msg.data)) as { data?: unknown; id?: unknown };
      id = typeof packet.id === 'string' && packet.id.length > 0 ? packet.id : undefined;
      const correlationId = id ?? randomUUID();
      const result = requestContext.run({ correlationId }, () => handler(packet.data, correlationId));
      if (result instanceof Promise) {
        result.then(
          (response: unknown) => this.respond(msg, id, response),
          (error: unknown) => this.fail(subject, msg, id, error),
        );
      } else {
        this.respond(msg, id, result);
      }
    } catch (error) {
      this.fail(subject, msg, id, error);
    }
  }

  private respond(msg: Msg, id: string | undefined, response: unknown): void {
    if (msg.reply) msg.respond(encoder.encode(JSON.stringify({ response, isDisposed: true, id })));
  }

  private fail(subject: string, msg: Msg, id: string | undefined, error: unknown): void {
    const problem: Problem = error instanceof RemoteProblemError ? error.problem : toProblem(error, subject);
    if (problem.status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (msg.reply) msg.respond(encoder.encode(JSON.stringify({ err: problem, isDisposed: true, id })));
  }
}
