// Domain errors are values with a stable code; libs/platform maps them to problem+json (HTTP) and
// error replies (NATS) in one place, so the code survives the trip between services.
export type ErrorKind =
  | 'validation' // 400: the input is malformed or breaks a rule about its own shape
  | 'unauthorized' // 401
  | 'forbidden' // 403: role, privilege, profile or licence
  | 'not_found' // 404
  | 'conflict' // 409: breaks an invariant given the current state (duplicate, loop, full, OCC)
  | 'gone' // 410: expired (offer session)
  | 'unprocessable'; // 422: well-formed but cannot be done (e.g. not routable)

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
};

export type FieldError = { path: string; message: string };

export class DomainError extends Error {
  constructor(
    /** Stable, namespaced: `DIVERT.LOOP`, `CALLBACK_SLOTS.SLOT_FULL`. */
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    /** Field paths the error is about (`rules.noAnswer.target.extension`). */
    readonly errors: FieldError[] = [],
    /** Extra, machine-readable facts (e.g. the loop chain, the current revision). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
