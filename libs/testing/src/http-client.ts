// A tiny typed HTTP client for integration tests: status, parsed body and headers, no throwing on 4xx.
import { signToken, DEV_JWT_SECRET, type Role } from '@cc/platform';

export type HttpResult<T = unknown> = { status: number; body: T; headers: Headers };

export class HttpClient {
  constructor(readonly baseUrl: string, private token?: string) {}

  withToken(token: string): HttpClient {
    return new HttpClient(this.baseUrl, token);
  }

  get<T = unknown>(path: string): Promise<HttpResult<T>> {
    return this.send<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown): Promise<HttpResult<T>> {
    return this.send<T>('POST', path, body);
  }
  put<T = unknown>(path: string, body?: unknown): Promise<HttpResult<T>> {
    return this.send<T>('PUT', path, body);
  }
  patch<T = unknown>(path: string, body?: unknown): Promise<HttpResult<T>> {
    return this.send<T>('PATCH', path, body);
  }
  delete<T = unknown>(path: string, body?: unknown): Promise<HttpResult<T>> {
    return this.send<T>('DELETE', path, body);
  }

  async send<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}

/** A signed bearer token for tests (the dev secret the test config uses). */
export function testToken(claims: {
  tenant: string;
  role?: Role;
  sub?: string;
  privileges?: string[];
  agentId?: string | null;
  callSlotProfile?: { kind: 'all' } | { kind: 'subset'; callSlotIds: string[] };
}): Promise<string> {
  return signToken(
    { sub: claims.sub ?? `test-${claims.role ?? 'ADMIN'}@${claims.tenant}`, role: claims.role ?? 'ADMIN', ...claims },
    { secret: DEV_JWT_SECRET, issuer: 'call-control' },
  );
}
