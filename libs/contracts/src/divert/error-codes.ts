// The divert service's stable error codes and the kind (HTTP status) each always maps to, so clients
// and the adapters match on one constant instead of retyping strings.
import type { ErrorKind } from '../domain-error';

export const DIVERT_ERRORS = {
  /** The rule would forward an extension to itself. Field path `rules.<condition>.target.extension`. */
  TARGET_IS_SELF: { code: 'DIVERT.TARGET_IS_SELF', kind: 'validation' },
  /** The extension (path `extension`) or a target extension does not exist in agent-directory. */
  UNKNOWN_EXTENSION: { code: 'DIVERT.UNKNOWN_EXTENSION', kind: 'not_found' },
  /** The target number is not a phone number, is invalid, or is ambiguous. */
  INVALID_NUMBER: { code: 'DIVERT.INVALID_NUMBER', kind: 'validation' },
  /** The target number is valid but of a class we never divert to (premium rate: toll fraud). */
  NUMBER_NOT_ALLOWED: { code: 'DIVERT.NUMBER_NOT_ALLOWED', kind: 'validation' },
  /** `ringSeconds` outside RING_SECONDS_MIN..RING_SECONDS_MAX. */
  RING_TIME_OUT_OF_RANGE: { code: 'DIVERT.RING_TIME_OUT_OF_RANGE', kind: 'validation' },
  /** Validity window with `to` <= `from`. */
  INVALID_VALIDITY_WINDOW: { code: 'DIVERT.INVALID_VALIDITY_WINDOW', kind: 'validation' },
  /** Validity window already over when the command arrives: the rule could never apply. */
  VALIDITY_WINDOW_ENDED: { code: 'DIVERT.VALIDITY_WINDOW_ENDED', kind: 'validation' },
  /** The change would close a divert loop. details: `{ chain, conditions, at }`. */
  LOOP: { code: 'DIVERT.LOOP', kind: 'conflict' },
  /** An AGENT may only read and change the diverts of their own extension (their token's agentId in the directory). */
  NOT_YOUR_EXTENSION: { code: 'DIVERT.NOT_YOUR_EXTENSION', kind: 'forbidden' },
  /** Changes to one tenant's diverts are serialised (loop checks span extensions); this one waited too long. Retry. */
  EDIT_LOCK_TIMEOUT: { code: 'DIVERT.EDIT_LOCK_TIMEOUT', kind: 'conflict' },
} as const satisfies Record<string, { code: `DIVERT.${string}`; kind: ErrorKind }>;

export type DivertErrorCode = (typeof DIVERT_ERRORS)[keyof typeof DIVERT_ERRORS]['code'];
