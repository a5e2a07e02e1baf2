// Who is calling: taken from the bearer token only (never from the body or a header), so no
// request can cross tenants.
import { z } from 'zod';
import { CallSlotProfileSchema, TenantIdSchema, type CallSlotProfile } from '@cc/contracts';

export const ROLES = ['OPERATOR', 'ADMIN', 'MANAGER', 'AGENT', 'SERVICE'] as const;
export type Role = (typeof ROLES)[number];

export const PrincipalClaimsSchema = z.object({
  sub: z.string().min(1),
  tenant: TenantIdSchema,
  role: z.enum(ROLES),
  privileges: z.array(z.string()).default([]),
  agentId: z.string().nullable().default(null),
  callSlotProfile: CallSlotProfileSchema.default({ kind: 'all' }),
});

export type Principal = {
  subject: string;
  tenantId: string;
  role: Role;
  privileges: ReadonlySet<string>;
  agentId: string | null;
  callSlotProfile: CallSlotProfile;
};
