// The call-router's stable error codes and the kind (HTTP status) each always maps to, so the adapters,
// the SIP edge and the IVR match on one constant instead of retyping strings.
import type { ErrorKind } from '../domain-error';

export const CALL_ROUTER_ERRORS = {
  /** The flow graph breaks a rule: dangling edge, no start, loop without input, unreachable node, limit. Field paths (`nodes.<id>.branches.closed`). */
  INVALID_FLOW: { code: 'CALL_ROUTER.INVALID_FLOW', kind: 'validation' },
  /** Publish with an `expectedVersion` that is no longer the current one. details `{ currentVersion }`. */
  FLOW_VERSION_CONFLICT: { code: 'CALL_ROUTER.FLOW_VERSION_CONFLICT', kind: 'conflict' },
  /** Retire or read a number without a flow. */
  FLOW_NOT_FOUND: { code: 'CALL_ROUTER.FLOW_NOT_FOUND', kind: 'not_found' },
  /** A call in progress refers to a flow version the router no longer holds. details `{ number, version }`. */
  FLOW_VERSION_GONE: { code: 'CALL_ROUTER.FLOW_VERSION_GONE', kind: 'gone' },
  /** `route` for a call id that is already routed (a retry must reuse the first plan, not plan twice). */
  CALL_EXISTS: { code: 'CALL_ROUTER.CALL_EXISTS', kind: 'conflict' },
  /** Call progress for a call the router does not know. */
  UNKNOWN_CALL: { code: 'CALL_ROUTER.UNKNOWN_CALL', kind: 'not_found' },
  /** Call progress for a call that has ended. */
  CALL_ENDED: { code: 'CALL_ROUTER.CALL_ENDED', kind: 'gone' },
  /** Call progress that does not fit the call's current step (dtmf while ringing, a stale stepId). details `{ currentStepId, stepKind }`. */
  UNEXPECTED_PROGRESS: { code: 'CALL_ROUTER.UNEXPECTED_PROGRESS', kind: 'conflict' },
} as const satisfies Record<string, { code: `CALL_ROUTER.${string}`; kind: ErrorKind }>;

export type CallRouterErrorCode = (typeof CALL_ROUTER_ERRORS)[keyof typeof CALL_ROUTER_ERRORS]['code'];
