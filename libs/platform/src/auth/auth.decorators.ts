// Route metadata for the auth guard: public routes, allowed roles, required privileges, and the
// principal as a handler parameter.
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role } from './principal';

export const IS_PUBLIC = 'cc:isPublic';
export const ROLES_KEY = 'cc:roles';
export const PRIVILEGES_KEY = 'cc:privileges';

export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);
/** Every listed privilege is required (ADMIN, OPERATOR and SERVICE hold all privileges of their tenant). */
export const RequirePrivileges = (...privileges: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(PRIVILEGES_KEY, privileges);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a public route');
  return request.principal;
});
