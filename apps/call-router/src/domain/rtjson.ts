// Translates the current step of a plan into the JSON routing document of Kamailio's `rtjson` module,
// as the SIP edge of deploy/kamailio consumes it. Field names and semantics follow the module
// (kamailio src/modules/rtjson, README "JSON Routing Structure", rtjson_routing.c):
// - `routing` "serial" or "parallel"; `routes[]` with `uri`, `dst_uri`, `headers` ({from, to, extra}),
//   `branch_flags`, `fr_timer`, `fr_inv_timer` (tm timers, MILLISECONDS);
// - rtjson applies headers, flags and timers per route only on serial routing; for parallel routing
//   deploy/kamailio adds each route's `headers.extra` itself and rings until the longest fr_inv_timer;
// - a serial document is walked by the edge on its own (rtjson_next_route() in failure_route, whatever
//   the failure), so steps are chained into one serial document only where that is exact: while a
//   step's no-answer, busy and unreachable edges all lead to the same next step (extension then
//   mobile, in-order groups, a single fallback voicemail). Anything else ends the document; the edge
//   reports the failure and the router's reply carries the next step.
// Answer confirmation: `X-CC-Confirm: dtmf=…;timeout=…;prompt=…` and the media server as dst_uri
// (deploy/kamailio/README.md §3). Extra top-level fields (`x_cc`, `reject`) are ignored by rtjson.
import type { PlanMailbox, PlanStep, PlanStepOf, RingTarget, StepFailureEdges } from '@cc/contracts';
import { stepById } from './call-state';

export type RtjsonHeaders = { from?: { display?: string; uri: string }; to?: { display?: string; uri: string }; extra?: string };

export type RtjsonRoute = {
  uri: string;
  dst_uri?: string;
  headers?: RtjsonHeaders;
  branch_flags?: number;
  fr_timer?: number;
  fr_inv_timer?: number;
};

/** What `routes[i]` stands for in the plan: the edge reports events by route index (`leg`). */
export type RtjsonRouteRef = { step_id: string; leg_id: string | null; agent_id: string | null; answer_confirmation: boolean };

export type RtjsonDocument = {
  version: '1.0';
  routing: 'serial' | 'parallel';
  routes: RtjsonRoute[];
  /** Refuses the call with this reply instead of routing it (deploy/kamailio extension). */
  reject?: { code: number; reason: string };
  /** Ours, ignored by rtjson: `routes[i]` is `x_cc.routes[i]`. */
  x_cc: { call_id: string | null; routes: RtjsonRouteRef[] };
};

export type AnswerConfirmationOptions = {
  /** `sip:` URI of the media server that dials, plays the prompt and bridges only on the key; null: the leg's own next hop. */
  readonly mediaServer: string | null;
  readonly digit: string;
  readonly timeoutSeconds: number;
  readonly promptId: string;
};

export type RtjsonOptions = {
  /** SIP domain of the tenant's extensions: an extension rings as `sip:{extension}@{domain}`. */
  readonly extensionDomain: (tenantId: string) => string;
  /** Host[:port] of the PSTN gateway: an outside number rings as `sip:{e164}@{gateway};user=phone`. */
  readonly pstnGateway: string;
  /** Request-URI of a voicemail box on the media server (`sip:vm-2001@media.example`). */
  readonly voicemailUri: (tenantId: string, mailbox: PlanMailbox) => string;
  /** Outbound proxy (`sip:…`) for every route but confirmation legs; null: none. */
  readonly outboundProxy: string | null;
  readonly answerConfirmation: AnswerConfirmationOptions;
  /** INVITE fr_timer in ms for every route (no reply at all = unreachable); null: the proxy's default. */
  readonly frTimerMs: number | null;
};

export type RtjsonContext = { readonly tenantId: string; readonly callId: string | null };

/** Header values we write must not be able to end their header line (a SIP Call-ID is text from outside). */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/**
 * The routing document for the call at `fromStepId`: a parallel document for a step ringing several
 * devices, else a serial chain of single-leg steps (see the file comment), a voicemail box as the last
 * route, or a `reject` for a plain hang-up. Menus, offers, announcements and prompts need the media
 * server's IVR, not a SIP fork: asking for them is the adapter's bug (RangeError).
 */
export function toRtjson(steps: readonly PlanStep[], fromStepId: string, context: RtjsonContext, options: RtjsonOptions): RtjsonDocument {
  const confirm = options.answerConfirmation;
  if (!/^[0-9*#]$/.test(confirm.digit) || !HEADER_SAFE.test(confirm.promptId) || !(Number.isInteger(confirm.timeoutSeconds) && confirm.timeoutSeconds > 0)) {
    throw new RangeError('answerConfirmation: one DTMF digit, a positive whole timeout and a header-safe prompt id');
  }
  const first = stepById(steps, fromStepId);
  if (!first) throw new RangeError(`step ${fromStepId} is not in the plan`);
  const doc: RtjsonDocument = { version: '1.0', routing: 'serial', routes: [], x_cc: { call_id: context.callId, routes: [] } };
  const add = (route: RtjsonRoute, ref: RtjsonRouteRef): void => {
    doc.routes.push(route);
    doc.x_cc.routes.push(ref);
  };

  if (first.kind === 'hangup' && first.prompt === null) {
    doc.reject = { code: 480, reason: 'Temporarily Unavailable' };
    return doc;
  }
  if (first.kind === 'ring' && first.targets.length > 1) {
    doc.routing = 'parallel';
    for (const target of first.targets) add(...targetRoute(first, target, context, options));
    return doc;
  }

  const seen = new Set<string>();
  let step: PlanStep | undefined = first;
  while (step && !seen.has(step.id)) {
    seen.add(step.id);
    switch (step.kind) {
      case 'ring':
        if (step.targets.length !== 1) return endOrRefuse(doc, step);
        add(...targetRoute(step, step.targets[0]!, context, options));
        break;
      case 'forward':
        add(...targetRoute(step, { kind: 'number', legId: null, e164: step.e164, agentId: null, answerConfirmation: false }, context, options));
        break;
      case 'voicemail':
        add(withTimers({ uri: options.voicemailUri(context.tenantId, step.mailbox), headers: { extra: ccHeaders(context, step.id, null, null) } }, null, options), {
          step_id: step.id,
          leg_id: null,
          agent_id: step.mailbox.kind === 'extension' ? step.mailbox.agentId : null,
          answer_confirmation: false,
        });
        return doc;
      case 'menu':
      case 'offerCallback':
      case 'announcement':
      case 'hangup':
        return endOrRefuse(doc, step);
      default: {
        const _exhaustive: never = step;
        return _exhaustive;
      }
    }
    const on: StepFailureEdges = step.on;
    step = on.noAnswer === on.busy && on.busy === on.unreachable ? stepById(steps, on.noAnswer) : undefined;
  }
  return doc;
}

/** A chain ends at a step the fork cannot express; a document that would start with one is refused. */
function endOrRefuse(doc: RtjsonDocument, step: PlanStep): RtjsonDocument {
  if (doc.routes.length === 0) throw new RangeError(`step ${step.id} (${step.kind}) is executed by the media server, not by a SIP fork`);
  return doc;
}

type Leg = RingTarget | { kind: 'number'; legId: null; e164: string; agentId: null; answerConfirmation: false };

function targetRoute(
  step: PlanStepOf<'ring'> | PlanStepOf<'forward'>,
  target: Leg,
  context: RtjsonContext,
  options: RtjsonOptions,
): [RtjsonRoute, RtjsonRouteRef] {
  const confirm = target.kind === 'number' && target.answerConfirmation;
  const uri =
    target.kind === 'extension'
      ? `sip:${target.extension}@${options.extensionDomain(context.tenantId)}`
      : `sip:${target.e164}@${options.pstnGateway};user=phone`;
  const c = options.answerConfirmation;
  const route: RtjsonRoute = {
    uri,
    headers: { extra: ccHeaders(context, step.id, target.legId, confirm ? `dtmf=${c.digit};timeout=${c.timeoutSeconds};prompt=${c.promptId}` : null) },
  };
  const dst = confirm && c.mediaServer !== null ? c.mediaServer : options.outboundProxy;
  if (dst !== null) route.dst_uri = dst;
  return [
    withTimers(route, step.ringSeconds, options),
    { step_id: step.id, leg_id: target.legId, agent_id: target.agentId, answer_confirmation: confirm },
  ];
}

function withTimers(route: RtjsonRoute, ringSeconds: number | null, options: RtjsonOptions): RtjsonRoute {
  if (options.frTimerMs !== null) route.fr_timer = options.frTimerMs;
  if (ringSeconds !== null) route.fr_inv_timer = ringSeconds * 1000;
  return route;
}

function ccHeaders(context: RtjsonContext, stepId: string, legId: string | null, confirm: string | null): string {
  let extra = '';
  if (context.callId !== null && HEADER_SAFE.test(context.callId)) extra += `X-CC-Call-Id: ${context.callId}\r\n`;
  extra += `X-CC-Step-Id: ${stepId}\r\n`;
  if (legId !== null) extra += `X-CC-Leg-Id: ${legId}\r\n`;
  if (confirm !== null) extra += `X-CC-Confirm: ${confirm}\r\n`;
  return extra;
}
