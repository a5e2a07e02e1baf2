// Graph rules of a call flow, checked before a version is published (the zod schema has checked the
// shape): a start node, no dangling edge, every node reachable, no loop that never waits for the
// caller's input, bounded chains, sane targets. Errors carry field paths (`nodes.<id>.branches.closed`).
import {
  CALL_FLOW_LIMITS,
  CALL_ROUTER_ERRORS,
  DomainError,
  normalisePhoneNumber,
  type CallFlowDefinition,
  type CallFlowNode,
  type FieldError,
} from '@cc/contracts';

/** One edge of the graph. `waitsForInput`: taken only after the caller pressed keys (or a menu timed out). */
export type FlowEdge = { readonly field: string; readonly target: string; readonly waitsForInput: boolean };

/** Every edge out of a node, with the field path (below `nodes.<id>`) that holds it. */
export function edgesOf(node: CallFlowNode): FlowEdge[] {
  const edges: FlowEdge[] = [];
  const add = (field: string, target: string | undefined, waitsForInput: boolean): void => {
    if (target !== undefined) edges.push({ field, target, waitsForInput });
  };
  switch (node.type) {
    case 'schedule':
      add('branches.open', node.branches.open, false);
      add('branches.closed', node.branches.closed, false);
      add('branches.emergency', node.branches.emergency, false);
      break;
    case 'menu':
      for (const digit of Object.keys(node.options).sort()) add(`options.${digit}`, node.options[digit], true);
      add('default', node.default, true);
      break;
    case 'ringAgent':
    case 'ringGroup':
      add('onNoAnswer', node.onNoAnswer, false);
      add('onBusy', node.onBusy, false);
      add('onUnreachable', node.onUnreachable, false);
      break;
    case 'offerCallback':
      add('fallback', node.fallback, false);
      add('onDeclined', node.onDeclined, true);
      add('onBooked', node.onBooked, true);
      break;
    case 'forward':
      add('onFailure', node.onFailure, false);
      break;
    case 'announcement':
      add('next', node.next, false);
      break;
    case 'voicemail':
    case 'hangup':
      break;
    default: {
      const _exhaustive: never = node;
      return _exhaustive;
    }
  }
  return edges;
}

/** Every rule the flow breaks; empty when it may be published. */
export function callFlowProblems(flow: CallFlowDefinition): FieldError[] {
  const errors: FieldError[] = [];
  const ids = Object.keys(flow.nodes);
  const has = (id: string): boolean => Object.hasOwn(flow.nodes, id);
  const nodeOf = (id: string): CallFlowNode => flow.nodes[id]!;

  if (ids.length > CALL_FLOW_LIMITS.maxNodes) errors.push({ path: 'nodes', message: `at most ${CALL_FLOW_LIMITS.maxNodes} nodes` });
  if (!has(flow.start)) errors.push({ path: 'start', message: `start node "${flow.start}" does not exist` });

  // Edges that point nowhere, and node-level rules.
  const edges = new Map<string, FlowEdge[]>();
  for (const id of ids) {
    const node = nodeOf(id);
    const out = edgesOf(node);
    edges.set(id, out);
    for (const edge of out) {
      if (!has(edge.target)) errors.push({ path: `nodes.${id}.${edge.field}`, message: `node "${edge.target}" does not exist` });
    }
    errors.push(...nodeProblems(id, node));
  }

  // Reachability from the start.
  if (has(flow.start)) {
    const reached = new Set<string>([flow.start]);
    const queue = [flow.start];
    while (queue.length > 0) {
      for (const edge of edges.get(queue.shift()!) ?? []) {
        if (has(edge.target) && !reached.has(edge.target)) {
          reached.add(edge.target);
          queue.push(edge.target);
        }
      }
    }
    for (const id of ids) {
      if (!reached.has(id)) errors.push({ path: `nodes.${id}`, message: `node "${id}" cannot be reached from the start node "${flow.start}"` });
    }
  }

  // Loops through edges that do not wait for input would ring or announce forever.
  const instant = (id: string): FlowEdge[] => (edges.get(id) ?? []).filter((e) => !e.waitsForInput && has(e.target));
  const cycles = instantCycles(ids, instant);
  for (const { path, closing } of cycles) {
    errors.push({
      path: `nodes.${closing.from}.${closing.field}`,
      message: `loop ${path.join(' -> ')} never waits for the caller's input (route it through a menu)`,
    });
  }
  if (cycles.length === 0) {
    const longest = longestInstantChain(ids, instant);
    if (longest.length > CALL_FLOW_LIMITS.maxChainWithoutInput) {
      errors.push({
        path: `nodes.${longest.from}`,
        message: `${longest.length} nodes in a row without caller input (at most ${CALL_FLOW_LIMITS.maxChainWithoutInput})`,
      });
    }
  }
  return errors;
}

/** Throws CALL_ROUTER.INVALID_FLOW with every problem's field path. */
export function assertValidCallFlow(flow: CallFlowDefinition): void {
  const errors = callFlowProblems(flow);
  if (errors.length === 0) return;
  const { code, kind } = CALL_ROUTER_ERRORS.INVALID_FLOW;
  throw new DomainError(code, kind, `the call flow of ${flow.number} is invalid: ${errors[0]!.path}: ${errors[0]!.message}`, errors, {
    number: flow.number,
  });
}

function nodeProblems(id: string, node: CallFlowNode): FieldError[] {
  const errors: FieldError[] = [];
  switch (node.type) {
    case 'menu':
      if (Object.values(node.options).every((target) => target === undefined)) {
        errors.push({ path: `nodes.${id}.options`, message: 'a menu needs at least one option' });
      }
      break;
    case 'ringGroup': {
      const seen = new Map<string, number>();
      node.agentIds.forEach((agentId, index) => {
        const first = seen.get(agentId);
        if (first !== undefined) errors.push({ path: `nodes.${id}.agentIds.${index}`, message: `agent ${agentId} is already member ${first}` });
        else seen.set(agentId, index);
      });
      break;
    }
    case 'forward': {
      // Same toll-fraud rule as diverts and after-hours numbers: never forward to premium-rate lines.
      const parsed = normalisePhoneNumber(node.e164, 'GB');
      if (!parsed.ok) errors.push({ path: `nodes.${id}.e164`, message: parsed.message });
      else if (parsed.type === 'PREMIUM_RATE') errors.push({ path: `nodes.${id}.e164`, message: 'premium-rate numbers are not allowed as forward targets' });
      break;
    }
    case 'schedule':
    case 'ringAgent':
    case 'offerCallback':
    case 'voicemail':
    case 'announcement':
    case 'hangup':
      break;
    default: {
      const _exhaustive: never = node;
      return _exhaustive;
    }
  }
  return errors;
}

type Cycle = { path: string[]; closing: { from: string; field: string } };

/** Cycles of the instant-edge graph, each reported once by the edge that closes it in DFS order. */
function instantCycles(ids: readonly string[], instant: (id: string) => FlowEdge[]): Cycle[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: Cycle[] = [];
  const visit = (id: string): void => {
    state.set(id, 'open');
    stack.push(id);
    for (const edge of instant(id)) {
      const seen = state.get(edge.target);
      if (seen === 'open') {
        cycles.push({ path: [...stack.slice(stack.indexOf(edge.target)), edge.target], closing: { from: id, field: edge.field } });
      } else if (seen === undefined) {
        visit(edge.target);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  return cycles;
}

/** The longest run of nodes joined by instant edges (the graph is acyclic here). */
function longestInstantChain(ids: readonly string[], instant: (id: string) => FlowEdge[]): { from: string; length: number } {
  const memo = new Map<string, number>();
  const length = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    let best = 1;
    for (const edge of instant(id)) best = Math.max(best, 1 + length(edge.target));
    memo.set(id, best);
    return best;
  };
  let longest = { from: ids[0] ?? '', length: 0 };
  for (const id of ids) {
    const l = length(id);
    if (l > longest.length) longest = { from: id, length: l };
  }
  return longest;
}
