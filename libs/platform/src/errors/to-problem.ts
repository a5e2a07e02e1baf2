// The one place that turns any error into an RFC 9457 problem (HTTP) or an error reply (NATS).
import { HttpException } from '@nestjs/common';
import { DomainError, STATUS_OF_KIND, type Problem } from '@cc/contracts';
import { DuplicateEventId, ExpectedRevisionConflict } from '@cc/event-store';
import { ZodError } from 'zod';

const TYPE_BASE = 'https://call-control.dev/problems/';

export function zodIssuesToFieldErrors(error: ZodError, prefix = ''): { path: string; message: string }[] {
  const pathOf = (parts: PropertyKey[]) => [prefix, ...parts.map(String)].filter(Boolean).join('.') || '(root)';
  return error.issues.flatMap((issue) =>
    // An unknown field is reported at its own path, so a client sees exactly which key to remove.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: `unknown field "${key}"` }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}

export function toProblem(error: unknown, instance?: string): Problem {
  if (error instanceof DomainError) {
    const status = STATUS_OF_KIND[error.kind];
    return {
      type: TYPE_BASE + error.code.toLowerCase().replace(/[._]/g, '-'),
      title: error.message,
      status,
      code: error.code,
      ...(error.errors.length ? { errors: error.errors } : {}),
      ...(Object.keys(error.details).length ? { detail: JSON.stringify(error.details) } : {}),
      ...(typeof error.details.currentRevision === 'number' ? { currentRevision: error.details.currentRevision } : {}),
      ...(instance ? { instance } : {}),
    };
  }
  if (error instanceof ZodError) {
    return {
      type: TYPE_BASE + 'validation',
      title: 'The request is not valid',
      status: 400,
      code: 'VALIDATION.INVALID_INPUT',
      errors: zodIssuesToFieldErrors(error),
      ...(instance ? { instance } : {}),
    };
  }
  if (error instanceof ExpectedRevisionConflict) {
    return {
      type: TYPE_BASE + 'concurrency-conflict',
      title: 'Someone else changed this first: reload and retry',
      status: 409,
      code: error.code,
      detail: error.message,
      ...(error.actual !== null ? { currentRevision: error.actual } : {}),
      ...(instance ? { instance } : {}),
    };
  }
  if (error instanceof DuplicateEventId) {
    return { type: TYPE_BASE + 'duplicate', title: error.message, status: 409, code: error.code, ...(instance ? { instance } : {}) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
    return {
      type: TYPE_BASE + `http-${status}`,
      title: Array.isArray(message) ? message.join('; ') : String(message),
      status,
      code: `HTTP.${status}`,
      ...(instance ? { instance } : {}),
    };
  }
  return {
    type: TYPE_BASE + 'internal',
    title: 'Internal error',
    status: 500,
    code: 'INTERNAL',
    ...(instance ? { instance } : {}),
  };
}

/** Error carrying a problem received from another service over NATS, so its code survives the hop. */
export class RemoteProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
    this.name = 'RemoteProblemError';
  }
}
