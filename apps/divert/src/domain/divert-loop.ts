// Divert chains across a tenant's extensions: refusing a change that would close a loop (write time),
// and following diverts to where a call ends up, with a hop limit (call time, used by the router).
import {
  DIVERT_ERRORS,
  DomainError,
  defaultDivertRules,
  type DivertCondition,
  type DivertHop,
  type DivertOutcome,
  type DivertResolution,
  type DivertRules,
  type DivertStop,
} from '@cc/contracts';
import { activeForwards, effectiveDivert, type DivertForward } from './effective-divert';

/**
 * The divert rules of a tenant's extensions (a `Map` fits). `get` returns undefined for an extension
 * that does not exist (never created, or removed). For `followDivertChain` every existing extension
 * must answer, with default rules when never configured: build it with `divertRuleSetsOf`.
 */
export type DivertRuleSets = { get(extension: string): DivertRules | undefined };

const DEFAULT_RULES: DivertRules = defaultDivertRules();

/**
 * Joins the divert replica (configured extensions only) with the directory's list of existing
 * extensions: existing but unconfigured extensions answer default rules, removed ones undefined.
 */
export function divertRuleSetsOf(
  configured: ReadonlyMap<string, DivertRules>,
  existing: { has(extension: string): boolean },
): DivertRuleSets {
  return { get: (extension) => (existing.has(extension) ? (configured.get(extension) ?? DEFAULT_RULES) : undefined) };
}

export type DivertLoop = {
  /** Starts and ends at the changed extension: `['2001', '2002', '2003', '2001']`. */
  chain: string[];
  /** The condition of each hop (`conditions[i]` forwards `chain[i]` to `chain[i + 1]`). */
  conditions: DivertCondition[];
  /** The earliest instant (>= now) at which every hop of the loop is active, ISO UTC. */
  at: string;
};

/**
 * Finds a loop that giving `extension` the rules `proposed` would close, or null when there is none.
 *
 * Which edges count: `X -c-> Y` when X's rule for condition `c` targets extension Y and is inside its
 * validity window, for ALL four conditions, because at call time any of them can happen (two
 * extensions forwarding to each other on busy, both busy, bounce the call forever; on no-answer
 * they ring in a circle without reaching voicemail). Exception: while X's always-divert is active
 * (any target but off), X's other rules are unreachable, so they are not edges.
 *
 * Time: a loop counts only if all its edges are active at the SAME instant, at or after `now`
 * (two holiday forwards pointing at each other in windows that never overlap are fine). Edges are
 * constant between window boundaries, so we check `now` and every boundary after it.
 *
 * "Closed by the change": the loop's hop out of `extension` must be an edge the change adds at that
 * instant. A loop that already existed (e.g. written by two racing requests) does not block an
 * unrelated edit of one of its extensions; the router's hop and loop limits cover it at call time.
 *
 * `ruleSets` holds the tenant's current rules; extensions it does not know have no edges. Its entry
 * for `extension` itself is ignored: `current` (the aggregate's own state, which may be ahead of a
 * read model) is what the change is compared with, `proposed` what the graph is checked with.
 */
export function findDivertLoop(
  ruleSets: DivertRuleSets,
  extension: string,
  proposed: DivertRules,
  now: Date,
  current: DivertRules = ruleSets.get(extension) ?? DEFAULT_RULES,
): DivertLoop | null {
  const rulesOf = (ext: string): DivertRules | undefined => (ext === extension ? proposed : ruleSets.get(ext));

  // Cheap pre-check, ignoring time: can the proposed targets reach `extension` at all?
  const reachable = staticallyReachableFrom(extensionTargetsOf(proposed), extension, rulesOf);
  if (!reachable.has(extension)) return null;

  const instants = candidateInstants([proposed, current, ...[...reachable].map(rulesOf)], now);
  for (const at of instants) {
    const before = activeForwards(current, at);
    const added = activeForwards(proposed, at).filter(
      (edge) => !before.some((old) => old.condition === edge.condition && old.to === edge.to),
    );
    const loop = shortestLoopThrough(extension, added, rulesOf, at);
    if (loop) return { ...loop, at: at.toISOString() };
  }
  return null;
}

function extensionTargetsOf(rules: DivertRules): string[] {
  return Object.values(rules).flatMap((rule) => (rule.target.kind === 'extension' ? [rule.target.extension] : []));
}

/** Every extension reachable from `sources` through any extension target, windows ignored; `stop` is not expanded. */
function staticallyReachableFrom(
  sources: string[],
  stop: string,
  rulesOf: (extension: string) => DivertRules | undefined,
): Set<string> {
  const seen = new Set<string>(sources);
  const queue = [...seen];
  while (queue.length > 0) {
    const ext = queue.shift() as string;
    if (ext === stop) continue;
    const rules = rulesOf(ext);
    if (!rules) continue;
    for (const next of extensionTargetsOf(rules)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** `now`, then every window boundary after it, ascending: the instants where some edge may change. */
function candidateInstants(ruleSets: Array<DivertRules | undefined>, now: Date): Date[] {
  const start = now.getTime();
  const times = new Set<number>([start]);
  for (const rules of ruleSets) {
    if (!rules) continue;
    for (const rule of Object.values(rules)) {
      if (rule.validity === null) continue;
      for (const boundary of [Date.parse(rule.validity.from), Date.parse(rule.validity.to)]) {
        if (boundary > start) times.add(boundary);
      }
    }
  }
  return [...times].sort((a, b) => a - b).map((t) => new Date(t));
}

/** Breadth-first from the targets of `firstHops` back to `origin`, at one instant: the shortest loop, if any. */
function shortestLoopThrough(
  origin: string,
  firstHops: DivertForward[],
  rulesOf: (extension: string) => DivertRules | undefined,
  at: Date,
): Omit<DivertLoop, 'at'> | null {
  // Each reached extension remembers how it was reached, to rebuild the chain.
  const cameFrom = new Map<string, { from: string; condition: DivertCondition }>();
  const queue: string[] = [];
  for (const hop of firstHops) {
    if (hop.to === origin) return { chain: [origin, origin], conditions: [hop.condition] };
    if (!cameFrom.has(hop.to)) {
      cameFrom.set(hop.to, { from: origin, condition: hop.condition });
      queue.push(hop.to);
    }
  }
  while (queue.length > 0) {
    const ext = queue.shift() as string;
    const rules = rulesOf(ext);
    if (!rules) continue;
    for (const edge of activeForwards(rules, at)) {
      if (edge.to === origin) return rebuild(origin, ext, edge.condition, cameFrom);
      if (!cameFrom.has(edge.to)) {
        cameFrom.set(edge.to, { from: ext, condition: edge.condition });
        queue.push(edge.to);
      }
    }
  }
  return null;
}

function rebuild(
  origin: string,
  last: string,
  closingCondition: DivertCondition,
  cameFrom: Map<string, { from: string; condition: DivertCondition }>,
): Omit<DivertLoop, 'at'> {
  const chain = [origin];
  const conditions = [closingCondition];
  let ext = last;
  while (ext !== origin) {
    chain.unshift(ext);
    const step = cameFrom.get(ext) as { from: string; condition: DivertCondition };
    conditions.unshift(step.condition);
    ext = step.from;
  }
  chain.unshift(origin);
  return { chain, conditions };
}

/**
 * Follows diverts from `start` to where the call ends up at instant `at`.
 *
 * `condition` is what happened at `start`: `always` = a call arrives there (nothing tried yet);
 * `noAnswer` / `busy` / `unreachable` = the router rang `start` and got that. A call diverted to
 * another extension arrives there, so from the second extension on only its `always` rule is
 * followed (its other rules need the router to ring it first: the outcome is `ring`, and the router
 * calls again with what happened, passing the hops so far as `visited` and the remaining hop budget).
 *
 * Ends as the router does: at the voicemail of the chain's first extension (`visited[0]`, else `start`)
 * when the next hop would exceed `hopLimit` extension-to-extension hops (the remaining budget) or
 * return to an extension in `visited` or on the chain (a loop); at the diverting extension's voicemail
 * when the next one no longer exists. Throws DIVERT.UNKNOWN_EXTENSION when `start` does not exist.
 */
export function followDivertChain(
  ruleSets: DivertRuleSets,
  start: string,
  condition: DivertCondition,
  at: Date,
  hopLimit: number,
  visited: readonly string[] = [],
): DivertResolution {
  let rules = ruleSets.get(start);
  if (!rules) {
    throw new DomainError(
      DIVERT_ERRORS.UNKNOWN_EXTENSION.code,
      DIVERT_ERRORS.UNKNOWN_EXTENSION.kind,
      `extension ${start} does not exist`,
      [{ path: 'extension', message: `extension ${start} does not exist` }],
      { extension: start },
    );
  }
  const hops: DivertHop[] = [];
  const onChain = new Set([...visited, start]);
  const origin = visited[0] ?? start;
  const done = (outcome: DivertOutcome, stop: DivertStop = 'resolved'): DivertResolution => ({ outcome, hops, stop });
  let ext = start;
  let happened = condition;

  for (;;) {
    const effective = effectiveDivert(rules, happened, at);
    const target = effective.target;
    switch (target.kind) {
      case 'off':
        // Only a ringing extension gets here (an active always-divert has a target).
        return happened === 'always' && effective.rings
          ? done({ kind: 'ring', extension: ext, ringSeconds: effective.ringSeconds })
          : done({ kind: 'noDivert', extension: ext, condition: happened });
      case 'voicemail':
        return done({ kind: 'voicemail', extension: ext });
      case 'number':
        return done({ kind: 'number', e164: target.e164, divertedBy: ext });
      case 'extension': {
        const next = target.extension;
        const nextRules = ruleSets.get(next);
        // As the router plans it: past the hop limit or on a loop, the voicemail of the extension the caller
        // dialled (the chain's first); a target that no longer exists, the diverting extension's voicemail.
        if (hops.length >= hopLimit) return done({ kind: 'voicemail', extension: origin }, 'hopLimit');
        if (onChain.has(next)) return done({ kind: 'voicemail', extension: origin }, 'loop');
        if (!nextRules) return done({ kind: 'voicemail', extension: ext }, 'removedTarget');
        hops.push({ from: ext, condition: effective.appliedCondition, to: next });
        onChain.add(next);
        ext = next;
        rules = nextRules;
        happened = 'always';
        break;
      }
      default: {
        const _exhaustive: never = target;
        throw new Error(`unhandled divert target ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
}
