// Reads scheduled-callback activity out of callback-slots' dispatch events: whom an attempt rang (its agent
// side) and how it ended. Other event types are skipped without parsing them.
import { CallbackAttemptFinishedEvent, CallbackAttemptStartedEvent, parseCallbackDispatchEvent } from '@cc/contracts';

export type CallbackActivity =
  | { kind: 'started'; bookingId: string; attempt: number; agentIds: string[]; startedAt: string }
  | { kind: 'finished'; bookingId: string; attempt: number; outcome: string; finishedAt: string };

const TYPES: ReadonlySet<string> = new Set([CallbackAttemptStartedEvent.type, CallbackAttemptFinishedEvent.type]);

/** Throws for a needed type in an unknown version or with data that breaks its contract (dead-lettered). */
export function callbackActivityOf(event: { type: string; version: number; data: unknown }): CallbackActivity | null {
  if (!TYPES.has(event.type)) return null;
  const parsed = parseCallbackDispatchEvent(event);
  switch (parsed.type) {
    case 'CallbackAttemptStarted': {
      const agentIds = new Set<string>();
      for (const leg of parsed.data.legs) {
        if (leg.kind !== 'agent') continue;
        for (const target of leg.targets) if (target.agentId !== null) agentIds.add(target.agentId);
      }
      return { kind: 'started', bookingId: parsed.data.bookingId, attempt: parsed.data.attempt, agentIds: [...agentIds], startedAt: parsed.data.startedAt };
    }
    case 'CallbackAttemptFinished':
      return { kind: 'finished', bookingId: parsed.data.bookingId, attempt: parsed.data.attempt, outcome: parsed.data.outcome, finishedAt: parsed.data.finishedAt };
    default:
      throw new Error(`callback event ${event.type} has no activity rule`);
  }
}
