// Collects the trace of one routing decision: a sentence for the operator ("2001 is on a call, its busy
// divert sends the call to voicemail") and flat facts for tools. `when` tells whether an entry is about
// the call now or about a failure edge planned ahead ("s1 noAnswer").
import type { TraceCode, TraceEntry } from '@cc/contracts';

export type TraceFacts = Record<string, string | number | boolean | null>;

export class RoutingTraceRecorder {
  readonly entries: TraceEntry[] = [];
  /** Set while planning what happens after a failure of an earlier step; null: the call now. */
  private when: string | null = null;

  add(code: TraceCode, nodeId: string | null, message: string, facts: TraceFacts = {}): void {
    if (this.when === null) {
      this.entries.push({ code, message, nodeId, facts });
    } else {
      this.entries.push({ code, message: `[if ${this.when}] ${message}`, nodeId, facts: { ...facts, when: this.when } });
    }
  }

  /** Runs `plan` with entries marked as belonging to the failure edge `when` (e.g. `s1 noAnswer`). */
  during<T>(when: string, plan: () => T): T {
    const outer = this.when;
    this.when = outer === null ? when : `${outer}, ${when}`;
    try {
      return plan();
    } finally {
      this.when = outer;
    }
  }
}
