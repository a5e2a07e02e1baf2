// A small HTTP client for the services' public APIs, shared by the e2e stories, `seedDemo` and the demo:
// JSON in and out, bearer token, and errors that carry the RFC 9457 problem (code, field paths).
import { randomUUID } from 'node:crypto';
import { DEV_JWT_SECRET, signToken, type Role } from '@cc/platform';

export type Problem = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { path: string; message: string }[];
  [key: string]: unknown;
};

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly problem: Problem,
  ) {
    const fields = problem.errors?.length ? ` [${problem.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}]` : '';
    super(`${method} ${url} -> ${status} ${problem.code ?? ''} ${problem.detail ?? problem.title ?? ''}${fields}`.replace(/\s+/g, ' ').trim());
    this.name = 'ApiError';
  }
  get code(): string | undefined {
    return this.problem.code;
  }
}

export type Claims = {
  tenant: string;
  role: Role;
  sub?: string;
  privileges?: string[];
  agentId?: string | null;
  callSlotProfile?: { kind: 'all' } | { kind: 'subset'; callSlotIds: string[] };
};

/** A bearer token signed like the services expect it (JWT_SECRET or the dev secret, issuer call-control). */
export function token(claims: Claims): Promise<string> {
  return signToken(
    { sub: claims.sub ?? `${claims.role.toLowerCase()}@${claims.tenant}`, ...claims },
    { secret: process.env.JWT_SECRET ?? DEV_JWT_SECRET, issuer: process.env.JWT_ISSUER ?? 'call-control', expiresIn: '12h' },
  );
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly bearer?: string,
  ) {}

  withToken(bearer: string): ApiClient {
    return new ApiClient(this.baseUrl, bearer);
  }

  get<T>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
    const qs = params.toString();
    return this.send<T>('GET', qs ? `${path}?${qs}` : path);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>('POST', path, body ?? {});
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>('PUT', path, body ?? {});
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>('PATCH', path, body ?? {});
  }
  delete<T>(path: string): Promise<T> {
    return this.send<T>('DELETE', path);
  }

  /** The status and body without throwing (for tests of refusals). */
  async raw<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
        'x-correlation-id': randomUUID(),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: response.status, body: parsed as T };
  }

  async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, body: parsed } = await this.raw<T>(method, path, body);
    if (status >= 400) {
      const problem = parsed && typeof parsed === 'object' ? (parsed as Problem) : { detail: String(parsed) };
      throw new ApiError(method, path, status, problem);
    }
    return parsed;
  }
}

/** Whether an error is an ApiError with one of these codes (or statuses). */
export const isApiError = (error: unknown, ...codesOrStatuses: (string | number)[]): error is ApiError =>
  error instanceof ApiError &&
  (codesOrStatuses.length === 0 || codesOrStatuses.some((c) => (typeof c === 'number' ? error.status === c : error.code === c)));

/**
 * Retries `work` while it fails with one of `retryOn` (a read model or replica that has not caught up
 * with a write made through another service yet), up to `timeoutMs`.
 */
export async function untilAccepted<T>(work: () => Promise<T>, retryOn: (error: unknown) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!retryOn(error) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Polls `probe` until it returns something truthy. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${last instanceof Error ? last.message : String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
