// Tenant ids travel inside NATS subjects and stream ids, so they must be a single subject token.
import { z } from 'zod';

export const TenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'tenant id: 1-63 chars of a-z, 0-9, "-" or "_", starting with a letter or digit');
export type TenantId = z.infer<typeof TenantIdSchema>;
