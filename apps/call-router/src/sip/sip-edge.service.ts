// The Kamailio SIP edge's view of the router (deploy/kamailio/README.md): a routing query becomes a routed
// call (tenant from the dialled number, CLI from the SIP headers) answered with an rtjson document, and the
// edge's call-progress events (by Call-ID and route index) become the router's call progress.
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CALL_ROUTER_ERRORS,
  DomainError,
  E164Schema,
  toCallStreamId,
  type CallProgress,
  type PlanStep,
  type RouteDecision,
  type SipEdgeEvent,
  type SipEdgeEventAck,
  type SipRouteQuery,
} from '@cc/contracts';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SERVICE_CONFIG } from '@cc/platform';
import { CallProgressService, type ProgressContext } from '../calls/call-progress.service';
import type { CallRouterConfig } from '../config';
import { currentStep } from '../domain/call.decider';
import { stepById } from '../domain/call-state';
import { RoutingReplicas } from '../domain/replicas';
import { toRtjson, type RtjsonDocument, type RtjsonOptions, type RtjsonRouteRef } from '../domain/rtjson';
import { RoutingService } from '../routing/routing.service';
import { rtjsonOptionsOf } from './rtjson-options';

/** Steps the media server runs (prompts, menus, offers): the call is handed to its IVR as one route. */
const IVR_STEP_KINDS: ReadonlySet<PlanStep['kind']> = new Set(['menu', 'offerCallback', 'announcement', 'hangup']);

@Injectable()
export class SipEdgeService {
  private readonly logger = new Logger('SipEdgeService');
  private readonly options: RtjsonOptions;

  constructor(
    private readonly routing: RoutingService,
    private readonly progress: CallProgressService,
    private readonly replicas: RoutingReplicas,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: CallRouterConfig,
  ) {
    this.options = rtjsonOptionsOf(config);
  }

  /** The rtjson document for a new INVITE; 404 (CALL_ROUTER.NOT_ROUTABLE) when no tenant has a flow for the number. */
  async route(query: SipRouteQuery, context: { correlationId: string; actor: string }): Promise<RtjsonDocument> {
    const number = e164Of(query.did);
    const tenantId = number === null ? undefined : this.replicas.tenantOfNumber(number);
    if (number === null || tenantId === undefined) throw notRoutable(query.did, number === null ? 'not an E.164 number' : 'no call flow for it');
    const plan = await this.routing.route({ tenantId, callId: query.callId, number, cli: cliOf(query) }, { ...context, sipEdge: true });
    if (plan.outcome === 'notRoutable') throw notRoutable(query.did, plan.reason === 'retired' ? 'its call flow was retired' : 'no call flow for it');
    const document = this.documentOf(tenantId, query.callId, plan.decision);
    // A rejected INVITE gets no BYE, so no hang-up from the edge: end the call's record now (behind the answer).
    if (document.reject) void this.endRejected(tenantId, query.callId, context);
    return document;
  }

  private async endRejected(tenantId: string, callId: string, context: { correlationId: string; actor: string }): Promise<void> {
    try {
      await this.progress.progress({ kind: 'hangup', tenantId, callId }, { ...context, causationId: null });
    } catch (error) {
      this.logger.error(`could not end rejected call ${callId} of ${tenantId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Applies an edge event to the call it names; `ignored` for events that do not move the call. */
  async event(callId: string, event: SipEdgeEvent, context: Omit<ProgressContext, 'causationId'>): Promise<SipEdgeEventAck> {
    if (event.sipCallId !== callId) {
      throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The event is for another call than the path', [
        { path: 'sipCallId', message: `must be ${callId}` },
      ]);
    }
    const tenantId = await this.tenantOfCall(callId);
    const { record } = await this.progress.load(toCallStreamId(tenantId, callId));
    if (record.status !== 'tracked') {
      // Not routable (rejected at once) or unknown: the progress service answers with the right code.
      return this.apply(tenantId, callId, { kind: 'hangup' }, event, context);
    }
    const refs = this.documentOf(tenantId, callId, record.firstDecision).x_cc.routes;
    if (event.type === 'hangup') return this.apply(tenantId, callId, { kind: 'hangup' }, event, context);
    const ref = event.leg === undefined ? refs[0] : refs[event.leg];
    if (!ref) {
      throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', `leg ${event.leg} is not a route of the call's document`, [
        { path: 'leg', message: `0 to ${refs.length - 1}` },
      ]);
    }
    const step = stepById(record.firstDecision.steps, ref.step_id);
    if (!step || IVR_STEP_KINDS.has(step.kind) || (step.kind === 'voicemail' && event.type === 'answered')) {
      // The media server answered (IVR, voicemail): the call is where the plan said; its hang-up ends it.
      const at = record.call.status === 'ended' ? 'ended' : `at ${currentStep(record.call).id}`;
      return { callId, outcome: 'ignored', note: `${event.type} of the media server leg; the call is ${at}` };
    }
    const kind = event.type === 'declined' ? 'no-answer' : event.type === 'failed' ? 'unreachable' : event.type;
    const legId = event.leg === undefined ? undefined : (ref.leg_id ?? undefined);
    return this.apply(tenantId, callId, { kind, stepId: ref.step_id, ...(legId === undefined ? {} : { legId }) } as SipProgress, event, context);
  }

  private async apply(
    tenantId: string,
    callId: string,
    progress: SipProgress,
    event: SipEdgeEvent,
    context: Omit<ProgressContext, 'causationId'>,
  ): Promise<SipEdgeEventAck> {
    const at = event.at === undefined ? {} : { at: new Date(Math.round(event.at * 1000)).toISOString() };
    const result = await this.progress.progress({ ...progress, ...at, tenantId, callId } as CallProgress, { ...context, causationId: event.id });
    if (result.duplicate) return { callId, outcome: 'duplicate', note: `event ${event.id} was applied before` };
    const reply = result.reply;
    const note =
      reply.outcome === 'ended'
        ? `ended: ${reply.callOutcome}`
        : reply.outcome === 'connected'
          ? `connected at ${reply.stepId}`
          : reply.outcome === 'continue'
            ? `continues at ${reply.decision.currentStepId}`
            : `passed to ${reply.service}`;
    return { callId, outcome: 'applied', note };
  }

  /** The rtjson document of a decision: a SIP fork where the plan is one, else the call handed to the IVR. */
  documentOf(tenantId: string, callId: string, decision: RouteDecision): RtjsonDocument {
    const first = stepById(decision.steps, decision.currentStepId);
    if (first && IVR_STEP_KINDS.has(first.kind) && !(first.kind === 'hangup' && first.prompt === null)) {
      return this.ivrDocument(callId, first);
    }
    return toRtjson(decision.steps, decision.currentStepId, { tenantId, callId }, this.options);
  }

  private ivrDocument(callId: string, step: PlanStep): RtjsonDocument {
    const ref: RtjsonRouteRef = { step_id: step.id, leg_id: null, agent_id: null, answer_confirmation: false };
    const safeCallId = /^[\x21-\x7e]+$/.test(callId) ? `X-CC-Call-Id: ${callId}\r\n` : '';
    return {
      version: '1.0',
      routing: 'serial',
      routes: [
        {
          uri: `sip:ivr@${this.config.ROUTER_SIP_MEDIA_SERVER}`,
          headers: { extra: `${safeCallId}X-CC-Step-Id: ${step.id}\r\nX-CC-Ivr: ${step.kind}\r\n` },
          fr_timer: this.config.ROUTER_SIP_FR_TIMER_MS,
        },
      ],
      x_cc: { call_id: callId, routes: [ref] },
    };
  }

  private async tenantOfCall(callId: string): Promise<string> {
    // The call's record (and its index row) is appended behind the routing answer: look again briefly.
    for (const delayMs of [0, 25, 75, 150]) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const rows: Array<{ tenant_id: string }> = await this.dataSource.query('select tenant_id from sip_calls where call_id = $1', [callId]);
      if (rows[0]) return rows[0].tenant_id;
    }
    const { code, kind } = CALL_ROUTER_ERRORS.UNKNOWN_CALL;
    throw new DomainError(code, kind, `the router has no SIP call ${callId}`, [{ path: 'callId', message: 'never routed through /v1/sip/rtjson' }]);
  }
}

type SipProgress =
  | { kind: 'hangup' }
  | { kind: 'answered' | 'no-answer' | 'busy' | 'unreachable'; stepId: string; legId?: string };

/**
 * A number as the edge sends it, in international format with or without "+" (`+44…`, `44…`), as E.164;
 * null when it is not one (an extension, `anonymous`, a national format without a country). Only the shape
 * is checked: a dialled number is then looked up among the published flows, and a CLI is passed on as is
 * (numbering-plan validity would turn reserved test ranges into "withheld").
 */
export function e164Of(user: string): string | null {
  if (!/^\+?[1-9][0-9]{6,14}$/.test(user)) return null;
  const e164 = user.startsWith('+') ? user : `+${user}`;
  return E164Schema.safeParse(e164).success ? e164 : null;
}

/** The caller's number: P-Asserted-Identity first, then From; null when withheld (`Privacy: id`, anonymous) or not a number. */
export function cliOf(query: SipRouteQuery): string | null {
  if (query.privacy !== undefined && /(^|;)\s*id\s*($|;)/i.test(query.privacy)) return null;
  for (const user of [query.assertedUser, query.fromUser]) {
    if (user === undefined || /^anonymous$/i.test(user)) continue;
    const e164 = e164Of(user);
    if (e164 !== null) return e164;
  }
  return null;
}

function notRoutable(did: string, why: string): DomainError {
  return new DomainError('CALL_ROUTER.NOT_ROUTABLE', 'not_found', `${did} is not routable: ${why}`, [{ path: 'did', message: why }]);
}
