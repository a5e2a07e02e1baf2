// Environment variables of the agent-directory service (validated at start; see BaseConfigSchema for the shared ones).
import { BaseConfigSchema } from '@cc/platform';
import { z } from 'zod';

export const AgentDirectoryConfigSchema = BaseConfigSchema.extend({
  /**
   * How long a half-done registration or extension change may stay half done before the roster
   * reconciler undoes it (an extension claim or a roster enrolment without its agent). Far above any
   * request's duration, so the reconciler never undoes a flow that is still running.
   */
  AGENT_DIRECTORY_RECONCILE_GRACE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** How often the reconciler looks for due checks (ms); 0 turns the timer off (tests sweep by hand). */
  AGENT_DIRECTORY_RECONCILE_SWEEP_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
});
export type AgentDirectoryConfig = z.infer<typeof AgentDirectoryConfigSchema>;

export type ReconcilerSettings = { graceMs: number; sweepIntervalMs: number };

/** Tests pass the base config: the reconciler settings then take their defaults. */
export function reconcilerSettingsOf(config: Partial<AgentDirectoryConfig>): ReconcilerSettings {
  return {
    graceMs: (config.AGENT_DIRECTORY_RECONCILE_GRACE_SECONDS ?? 60) * 1000,
    sweepIntervalMs: config.AGENT_DIRECTORY_RECONCILE_SWEEP_MS ?? 5_000,
  };
}
