// Builds the AsyncAPI 3.0 document of every published event from the contracts themselves (schemas,
// versions, examples), so the document can never drift from what services validate and publish.
import { z } from 'zod';
import { EnvelopeMetaSchema } from './envelope';
import type { EventDefinition } from './event-definition';

export type CatalogEntry = {
  /** Channel group name, e.g. `divert` or `routing`. */
  group: string;
  description: string;
  events: readonly EventDefinition<string, z.ZodType>[];
  /** The NATS subject with `{tenantId}` and other parameters, for one event type. */
  address: (type: string) => string;
  parameters: Record<string, string>;
};

type Json = Record<string, unknown>;

const jsonSchemaOf = (schema: z.ZodType): Json => {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' }) as Json;
  delete json.$schema;
  return json;
};

export function buildAsyncApiDocument(catalog: readonly CatalogEntry[], info: { version: string; servers?: Record<string, string> }): Json {
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  const envelope = jsonSchemaOf(EnvelopeMetaSchema);
  for (const entry of catalog) {
    for (const def of entry.events) {
      const key = `${entry.group}.${def.type}`;
      messages[key] = {
        name: def.type,
        title: `${def.type} v${def.version}`,
        summary: def.description,
        contentType: 'application/json',
        headers: {
          type: 'object',
          properties: { 'Nats-Msg-Id': { type: 'string', description: 'the event id: JetStream drops a republished duplicate' } },
        },
        payload: {
          allOf: [
            envelope,
            {
              type: 'object',
              properties: {
                type: { const: def.type },
                version: { const: def.version },
                data: jsonSchemaOf(def.schema),
                streamId: { type: 'string' },
                revision: { type: 'integer' },
                position: { type: 'string' },
              },
              required: ['data'],
            },
          ],
        },
        examples: [
          {
            name: `${def.type}-example`,
            payload: {
              id: '0b6f0c8e-3a53-4f35-9d3c-0f4a7c8f6b21',
              type: def.type,
              version: def.version,
              tenantId: 'acme',
              occurredAt: '2026-11-23T09:00:00.000Z',
              correlationId: 'c0ffee00-0000-4000-8000-000000000001',
              causationId: null,
              actor: 'user:admin@acme.test',
              data: def.example,
            },
          },
        ],
      };
      channels[key] = {
        address: entry.address(def.type),
        description: `${entry.description} — ${def.description}`,
        parameters: Object.fromEntries(Object.entries(entry.parameters).map(([name, description]) => [name, { description }])),
        messages: { [def.type]: { $ref: `#/components/messages/${key}` } },
      };
      operations[`receive.${key}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${key}` },
        messages: [{ $ref: `#/channels/${key}/messages/${def.type}` }],
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Call-control platform events',
      version: info.version,
      description:
        'Every domain and routing event, published on NATS JetStream by the service that owns it. Subjects let a subscriber filter by tenant and type (routing events also by dialled number and agent). Consumers should be idempotent by `id` and may check `streamId`/`revision` for order.',
    },
    defaultContentType: 'application/json',
    servers: Object.fromEntries(
      Object.entries(info.servers ?? { local: '127.0.0.1:4222' }).map(([name, host]) => [name, { host, protocol: 'nats', description: 'NATS with JetStream' }]),
    ),
    channels,
    operations,
    components: { messages },
  };
}
