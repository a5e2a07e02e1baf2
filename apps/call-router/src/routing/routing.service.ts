// `route(call)`: the hot path. Plans from the in-memory replicas only (no I/O before the answer), then
// hands the call's record to the CallRecorder, which appends it behind the answer. A dry run (any `at`)
// is a simulation and records nothing. A retried route of a call this instance just routed gets the first
// plan again instead of a second one; the same call id with different facts is refused (CALL_EXISTS).
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import { CALL_ROUTER_ERRORS, DomainError, toCallStreamId, type EventEnvelope, type RoutePlan, type RouteRequest } from '@cc/contracts';
import { CLOCK, Metrics, type Clock } from '@cc/platform';
import { decideRoute } from '../domain/call.decider';
import { RoutingReplicas } from '../domain/replicas';
import { planRoute } from '../domain/route-planner';
import { ReplicaSync } from '../replicas/replica-sync';
import { CallRecorder } from './call-recorder';

/** Calls remembered per instance for retries (a retry comes within seconds; at 3,000 calls/s this is ~3 s, a few MB). */
const RECENT_CALLS = 10_000;

export type RouteContext = {
  readonly correlationId: string;
  readonly actor: string | null;
  /** Routed for the SIP edge: index the call id so its progress (by Call-ID only) finds the tenant. */
  readonly sipEdge?: boolean;
};

type Recent = { readonly number: string; readonly cli: string | null; readonly plan: RoutePlan };

@Injectable()
export class RoutingService {
  private readonly recent = new Map<string, Recent>();
  private readonly decisions: Counter<'outcome' | 'mode'>;

  constructor(
    private readonly replicas: RoutingReplicas,
    private readonly sync: ReplicaSync,
    private readonly recorder: CallRecorder,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: Metrics,
  ) {
    this.decisions = new Counter({
      name: 'cc_call_router_route_decisions_total',
      help: 'Routing decisions by outcome (routed, notRoutable) and mode (call, dryRun, retry)',
      labelNames: ['outcome', 'mode'],
      registers: [metrics.registry],
    });
  }

  /** The plan, or a promise of it when the call records are backed up (see CallRecorder). */
  route(request: RouteRequest, context: RouteContext): RoutePlan | Promise<RoutePlan> {
    this.sync.assertReady();
    const dryRun = request.dryRun === true;
    const callId = request.callId ?? null;
    if (!dryRun && callId !== null) {
      const key = `${request.tenantId}\u0000${callId}`;
      const earlier = this.recent.get(key);
      if (earlier) return this.retried(earlier, request);
    }
    const at = request.at === undefined ? this.clock.now() : new Date(request.at);
    const plan = planRoute({ tenantId: request.tenantId, callId, number: request.number, cli: request.cli, dryRun }, this.replicas, at);
    this.decisions.inc({ outcome: plan.outcome, mode: dryRun ? 'dryRun' : 'call' });
    if (dryRun || callId === null) return plan;

    this.remember(`${request.tenantId}\u0000${callId}`, { number: request.number, cli: request.cli, plan });
    const occurredAt = at.toISOString();
    const events: EventEnvelope[] = decideRoute(plan, request.cli).map((event) => ({
      id: randomUUID(),
      type: event.type,
      version: 1,
      tenantId: request.tenantId,
      occurredAt,
      correlationId: context.correlationId,
      causationId: null,
      actor: context.actor,
      data: event.data,
    }));
    const backPressure = this.recorder.record({
      tenantId: request.tenantId,
      callId,
      streamId: toCallStreamId(request.tenantId, callId),
      events,
      sipCallId: context.sipEdge === true,
    });
    return backPressure ? backPressure.then(() => plan) : plan;
  }

  private retried(earlier: Recent, request: RouteRequest): RoutePlan {
    if (earlier.number !== request.number || earlier.cli !== request.cli) {
      const { code, kind } = CALL_ROUTER_ERRORS.CALL_EXISTS;
      throw new DomainError(code, kind, `call ${request.callId} was already routed (to ${earlier.number}); a call id is routed once`, [
        { path: 'callId', message: 'already routed with a different number or CLI' },
      ]);
    }
    this.decisions.inc({ outcome: earlier.plan.outcome, mode: 'retry' });
    return earlier.plan;
  }

  private remember(key: string, entry: Recent): void {
    this.recent.set(key, entry);
    if (this.recent.size > RECENT_CALLS) this.recent.delete(this.recent.keys().next().value as string);
  }
}
