// A 503 problem with our own code (the platform's ErrorKind has no "unavailable" yet; asked of the lead).
// The problem filter passes a RemoteProblemError's problem through unchanged, on HTTP and NATS alike.
import { RemoteProblemError } from '@cc/platform';

export function serviceUnavailable(code: `CALL_ROUTER.${string}`, title: string): RemoteProblemError {
  return new RemoteProblemError({
    type: `https://call-control.dev/problems/${code.toLowerCase().replace(/[._]/g, '-')}`,
    title,
    status: 503,
    code,
  });
}
