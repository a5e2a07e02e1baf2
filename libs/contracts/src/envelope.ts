// The one shape every stored and published event has, whatever service wrote it.
import { z } from 'zod';
import { TenantIdSchema } from './tenant';

export const EnvelopeMetaSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  tenantId: TenantIdSchema,
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  actor: z.string().min(1).nullable(),
});

export const EventEnvelopeSchema = EnvelopeMetaSchema.extend({ data: z.unknown() });

/** An event as written: the envelope around its data. `data` is typed by the event's definition. */
export type EventEnvelope<TType extends string = string, TData = unknown> = {
  id: string;
  type: TType;
  version: number;
  tenantId: string;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  actor: string | null;
  data: TData;
};

/** Who and why: the metadata a command carries into the events it causes. */
export type CausationContext = {
  tenantId: string;
  correlationId: string;
  causationId: string | null;
  actor: string | null;
};

export const exampleEnvelope: EventEnvelope = {
  id: '0b6f0c8e-3a53-4f35-9d3c-0f4a7c8f6b21',
  type: 'ExampleHappened',
  version: 1,
  tenantId: 'acme',
  occurredAt: '2026-11-23T09:00:00.000Z',
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  causationId: null,
  actor: 'user:admin@acme.test',
  data: {},
};
