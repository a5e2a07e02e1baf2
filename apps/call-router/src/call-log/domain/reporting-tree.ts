// The reporting tree of a tenant as the call log sees it (a replica of agent-directory's roster), and the
// walk that answers "whom does this manager see": every agent below them, transitively (ADR 0003).

/** One roster member and the manager they report to (null: nobody). */
export type ReportingLine = { readonly agentId: string; readonly managerId: string | null };

export type Reportee = { readonly agentId: string; readonly managerId: string; readonly depth: number };

/**
 * The agents below `managerId`, breadth first with their depth (1 = direct reportee), like
 * agent-directory's `reporteesOf`. `transitive: false` stops at direct reportees. The replica is
 * eventually consistent, so a transient cycle (two moves applied out of order) must not loop: each agent
 * is visited once and the manager themself is never their own reportee.
 */
export function reporteesOf(lines: Iterable<ReportingLine>, managerId: string, options: { transitive: boolean } = { transitive: true }): Reportee[] {
  const children = new Map<string, string[]>();
  for (const line of lines) {
    if (line.managerId === null) continue;
    const siblings = children.get(line.managerId);
    if (siblings) siblings.push(line.agentId);
    else children.set(line.managerId, [line.agentId]);
  }
  const result: Reportee[] = [];
  const visited = new Set<string>([managerId]);
  let frontier = [managerId];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const manager of frontier) {
      for (const agentId of [...(children.get(manager) ?? [])].sort()) {
        if (visited.has(agentId)) continue;
        visited.add(agentId);
        result.push({ agentId, managerId: manager, depth });
        next.push(agentId);
      }
    }
    if (!options.transitive) break;
    frontier = next;
  }
  return result;
}
