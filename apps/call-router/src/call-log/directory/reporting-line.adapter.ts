// Reads reporting lines out of agent-directory's org events (libs/contracts/src/agent-directory): the org
// stream (`org-{tenant}`) is the roster's record, every member change names the member and its manager.
// Other event types are skipped without parsing them.
import { ORG_EVENTS, parseAgentDirectoryEvent } from '@cc/contracts';

/** A member's reporting line after an org event: managerId null = reports to nobody. */
export type ReportingLineChange = { agentId: string; managerId: string | null; status: 'member' | 'withdrawn' };

const ORG_EVENT_TYPES: ReadonlySet<string> = new Set(ORG_EVENTS.map((definition) => definition.type));

/**
 * The reporting line an org event leaves its member with, or null for events that do not touch one
 * (a role change, and every non-org event). Throws for an org event in an unknown version or with
 * data that breaks its contract (the consumer retries, then dead-letters it with the reason).
 */
export function reportingLineChangeOf(event: { type: string; version: number; data: unknown }): ReportingLineChange | null {
  if (!ORG_EVENT_TYPES.has(event.type)) return null;
  const parsed = parseAgentDirectoryEvent(event);
  switch (parsed.type) {
    case 'OrgMemberEnrolled':
      return { agentId: parsed.data.agentId, managerId: parsed.data.managerId, status: 'member' };
    case 'ReportingLineSet':
      return { agentId: parsed.data.agentId, managerId: parsed.data.managerId, status: 'member' };
    case 'ReportingLineCleared':
      return { agentId: parsed.data.agentId, managerId: null, status: 'member' };
    case 'OrgMemberWithdrawn':
      return { agentId: parsed.data.agentId, managerId: null, status: 'withdrawn' };
    case 'OrgMemberRoleChanged':
      return null;
    default:
      throw new Error(`org event ${event.type} has no reporting-line rule`);
  }
}
