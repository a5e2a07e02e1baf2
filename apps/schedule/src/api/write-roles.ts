// Who may change schedules over HTTP: operators, admins and managers of the tenant. Every role of the
// tenant may read them (agents see when their line is open). Internal services write over NATS.
import type { Role } from '@cc/platform';

export const WRITE_ROLES: readonly Role[] = ['OPERATOR', 'ADMIN', 'MANAGER'];
