// HS256 bearer tokens: verify (every request) and sign (dev tooling, tests, agent-directory logins).
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { DomainError } from '@cc/contracts';
import { PrincipalClaimsSchema, type Principal, type Role } from './principal';

export type TokenSettings = { secret: string; issuer: string };

export async function verifyToken(token: string, settings: TokenSettings): Promise<Principal> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(settings.secret), {
      issuer: settings.issuer,
      algorithms: ['HS256'],
    }));
  } catch (error) {
    const reason = error instanceof joseErrors.JWTExpired ? 'the token has expired' : 'the token is not valid';
    throw new DomainError('AUTH.INVALID_TOKEN', 'unauthorized', `Bearer token rejected: ${reason}`);
  }
  const claims = PrincipalClaimsSchema.safeParse(payload);
  if (!claims.success) {
    throw new DomainError(
      'AUTH.INVALID_CLAIMS',
      'unauthorized',
      'Bearer token rejected: missing or invalid claims',
      claims.error.issues.map((i) => ({ path: `token.${i.path.join('.')}`, message: i.message })),
    );
  }
  const c = claims.data;
  return {
    subject: c.sub,
    tenantId: c.tenant,
    role: c.role,
    privileges: new Set(c.privileges),
    agentId: c.agentId,
    callSlotProfile: c.callSlotProfile,
  };
}

export async function signToken(
  claims: {
    sub: string;
    tenant: string;
    role: Role;
    privileges?: string[];
    agentId?: string | null;
    callSlotProfile?: { kind: 'all' } | { kind: 'subset'; callSlotIds: string[] };
  },
  settings: TokenSettings & { expiresIn?: string },
): Promise<string> {
  return new SignJWT({ ...claims, privileges: claims.privileges ?? [] })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(settings.issuer)
    .setIssuedAt()
    .setExpirationTime(settings.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(settings.secret));
}
