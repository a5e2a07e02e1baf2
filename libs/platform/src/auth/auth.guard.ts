// Global HTTP guard: 401 without a valid bearer token, 403 when the role or a privilege is missing.
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@cc/contracts';
import { IS_PUBLIC, PRIVILEGES_KEY, ROLES_KEY } from './auth.decorators';
import type { Principal, Role } from './principal';
import { verifyToken, type TokenSettings } from './tokens';
import { requestContext } from '../logging/request-context';

export const TOKEN_SETTINGS = Symbol('TOKEN_SETTINGS');
const ALL_PRIVILEGES: ReadonlySet<Role> = new Set(['OPERATOR', 'ADMIN', 'SERVICE']);

export function hasPrivilege(principal: Principal, privilege: string): boolean {
  return ALL_PRIVILEGES.has(principal.role) || principal.privileges.has(privilege);
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_SETTINGS) private readonly settings: TokenSettings,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) {
      throw new DomainError('AUTH.MISSING_TOKEN', 'unauthorized', 'A bearer token is required (Authorization: Bearer <jwt>)');
    }
    const principal = await verifyToken(header.slice('Bearer '.length).trim(), this.settings);
    request.principal = principal;
    const store = requestContext.getStore();
    if (store) {
      store.tenantId = principal.tenantId;
      store.actor = principal.subject;
    }

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles?.length && !roles.includes(principal.role)) {
      throw new DomainError('AUTH.ROLE_REQUIRED', 'forbidden', `This needs one of the roles ${roles.join(', ')}; you are ${principal.role}`);
    }
    const privileges = this.reflector.getAllAndOverride<string[] | undefined>(PRIVILEGES_KEY, targets) ?? [];
    const missing = privileges.filter((p) => !hasPrivilege(principal, p));
    if (missing.length) {
      throw new DomainError('AUTH.PRIVILEGE_REQUIRED', 'forbidden', `Missing privilege ${missing.join(', ')}`, [], { missing });
    }
    return true;
  }
}
