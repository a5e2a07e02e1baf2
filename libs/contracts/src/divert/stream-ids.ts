// Stream ids of the divert service: one stream per extension of a tenant, `divert-{tenant}-{extension}`.
import { ExtensionSchema } from '../phone';
import { TenantIdSchema } from '../tenant';

export const DIVERT_STREAM_PREFIX = 'divert';

/** `toDivertStreamId('acme', '2001')` is `divert-acme-2001`. Throws on a malformed tenant or extension. */
export const toDivertStreamId = (tenantId: string, extension: string): string =>
  `${DIVERT_STREAM_PREFIX}-${TenantIdSchema.parse(tenantId)}-${ExtensionSchema.parse(extension)}`;
