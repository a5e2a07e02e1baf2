// The AsyncAPI document built from EVENT_CATALOG (what `npm run docs:asyncapi` writes and services serve) is
// structurally valid AsyncAPI 3.0: servers, channels with addresses and messages, operations on their own
// channel's messages, every $ref resolving, address parameters declared, and every message example valid
// against the document's payload schema and its event's zod schema. The routing channels match the subjects
// the publication really uses. A broken copy of the document must be caught, so the checks can fail.
import { z } from 'zod';
import { buildAsyncApiDocument, EVENT_CATALOG, ROUTING_EVENTS, routingEventSubject } from '@cc/contracts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const COMPONENT_KEY = /^[a-zA-Z0-9.\-_]+$/;

/** Resolves a local JSON pointer (`#/a/b~1c`), or undefined. */
function resolve(document: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

function refsIn(node: unknown, path: string, found: Array<{ path: string; ref: string }> = []): Array<{ path: string; ref: string }> {
  if (Array.isArray(node)) node.forEach((item, i) => refsIn(item, `${path}/${i}`, found));
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push({ path, ref: value });
      else refsIn(value, `${path}/${key}`, found);
    }
  }
  return found;
}

/** JSON Schema -> zod, once per distinct schema (the broken copies below reuse the document's). */
const compiledSchemas = new Map<string, z.ZodType>();
function compiled(schema: Json): z.ZodType {
  const key = JSON.stringify(schema);
  let zodSchema = compiledSchemas.get(key);
  if (!zodSchema) compiledSchemas.set(key, (zodSchema = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0])));
  return zodSchema;
}

/** Every way the document breaks AsyncAPI 3.0 (as far as we use it) or disagrees with the contracts. */
function problemsOf(document: Json): string[] {
  const problems: string[] = [];
  if (document.asyncapi !== '3.0.0') problems.push(`asyncapi is ${String(document.asyncapi)}, not 3.0.0`);
  const info = document.info;
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string') problems.push('info needs a title and a version');
  for (const [name, server] of Object.entries(isObject(document.servers) ? document.servers : {})) {
    if (!isObject(server) || typeof server.host !== 'string' || server.protocol !== 'nats') problems.push(`server ${name} needs a host and protocol nats`);
  }
  for (const { path, ref } of refsIn(document, '#')) {
    if (resolve(document, ref) === undefined) problems.push(`${path}: $ref ${ref} does not resolve`);
  }

  const channels = isObject(document.channels) ? document.channels : {};
  if (Object.keys(channels).length === 0) problems.push('no channels');
  for (const [key, channel] of Object.entries(channels)) {
    if (!isObject(channel)) {
      problems.push(`channel ${key} is not an object`);
      continue;
    }
    if (typeof channel.address !== 'string' || channel.address.length === 0) problems.push(`channel ${key} has no address`);
    const messages = isObject(channel.messages) ? channel.messages : {};
    if (Object.keys(messages).length === 0) problems.push(`channel ${key} has no messages`);
    const inAddress = new Set([...String(channel.address ?? '').matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!));
    const declared = new Set(Object.keys(isObject(channel.parameters) ? channel.parameters : {}));
    for (const name of inAddress) if (!declared.has(name)) problems.push(`channel ${key}: address parameter {${name}} is not declared`);
    for (const name of declared) if (!inAddress.has(name)) problems.push(`channel ${key}: parameter ${name} is not in the address`);
  }

  const operations = isObject(document.operations) ? document.operations : {};
  for (const [key, operation] of Object.entries(operations)) {
    if (!isObject(operation) || (operation.action !== 'send' && operation.action !== 'receive')) {
      problems.push(`operation ${key} needs action send or receive`);
      continue;
    }
    const channelRef = isObject(operation.channel) ? String(operation.channel.$ref) : '';
    if (!channelRef.startsWith('#/channels/')) problems.push(`operation ${key} does not reference a channel`);
    for (const message of Array.isArray(operation.messages) ? operation.messages : []) {
      const ref = isObject(message) ? String(message.$ref) : '';
      if (!ref.startsWith(`${channelRef}/messages/`)) problems.push(`operation ${key}: message ${ref} is not one of its channel's`);
    }
  }

  const components = isObject(document.components) && isObject(document.components.messages) ? document.components.messages : {};
  for (const [key, message] of Object.entries(components)) {
    if (!COMPONENT_KEY.test(key)) problems.push(`component key ${key} is not allowed`);
    if (!isObject(message) || !isObject(message.payload) || typeof message.name !== 'string') {
      problems.push(`message ${key} needs a name and a payload`);
      continue;
    }
    const examples = Array.isArray(message.examples) ? message.examples : [];
    if (examples.length === 0) problems.push(`message ${key} has no example`);
    let payloadSchema: z.ZodType;
    try {
      payloadSchema = compiled(message.payload);
    } catch (error) {
      problems.push(`message ${key}: payload is not a usable JSON Schema (${(error as Error).message})`);
      continue;
    }
    const [group] = key.split('.');
    const definition = EVENT_CATALOG.find((entry) => entry.group === group)?.events.find((def) => def.type === message.name);
    if (!definition) problems.push(`message ${key} is no event of the catalog`);
    for (const example of examples) {
      const payload = isObject(example) ? example.payload : undefined;
      const asDocumented = payloadSchema.safeParse(payload);
      if (!asDocumented.success) problems.push(`message ${key}: example breaks the payload schema: ${asDocumented.error.issues[0]?.message}`);
      const data = isObject(payload) ? payload.data : undefined;
      if (definition && !definition.schema.safeParse(data).success) problems.push(`message ${key}: example data breaks the ${definition.type} schema`);
      if (definition && isObject(payload) && (payload.type !== definition.type || payload.version !== definition.version)) {
        problems.push(`message ${key}: example is not ${definition.type} v${definition.version}`);
      }
    }
  }
  return problems;
}

const build = (): Json => buildAsyncApiDocument(EVENT_CATALOG, { version: '0.1.0' });

describe('AsyncAPI document of the platform events', () => {
  const document = build();

  it('is structurally valid AsyncAPI 3.0 and every example validates', () => {
    expect(problemsOf(document)).toEqual([]);
  });

  it('has one message per event of the catalog', () => {
    const events = EVENT_CATALOG.reduce((sum, entry) => sum + entry.events.length, 0);
    expect(Object.keys((document.components as { messages: Json }).messages)).toHaveLength(events);
    expect(Object.keys(document.channels as Json)).toHaveLength(events);
  });

  it.each(ROUTING_EVENTS.map((definition) => [definition.type]))('routing %s: the channel address is the subject the publication uses', (type) => {
    const channel = (document.channels as Record<string, { address: string }>)[`routing.${type}`]!;
    const subject = routingEventSubject('acme', '+441234567000', type);
    expect(channel.address.replace('{tenantId}', 'acme').replace('{number}', '441234567000')).toBe(subject);
  });

  describe('catches a broken document', () => {
    const broken = (change: (doc: Json) => void): string[] => {
      const copy = JSON.parse(JSON.stringify(document)) as Json;
      change(copy);
      return problemsOf(copy);
    };
    const firstChannel = (doc: Json): Json => Object.values(doc.channels as Json)[0] as Json;
    const firstMessage = (doc: Json): Json => Object.values((doc.components as { messages: Json }).messages)[0] as Json;

    it('a $ref that resolves to nothing', () => {
      expect(broken((doc) => ((firstChannel(doc).messages as Json)[Object.keys(firstChannel(doc).messages as Json)[0]!] = { $ref: '#/components/messages/nope' }))).toEqual(
        expect.arrayContaining([expect.stringContaining('does not resolve')]),
      );
    });

    it('a channel without an address or with an undeclared parameter', () => {
      expect(broken((doc) => delete firstChannel(doc).address)).toEqual(expect.arrayContaining([expect.stringContaining('has no address')]));
      expect(broken((doc) => (firstChannel(doc).parameters = {}))).toEqual(expect.arrayContaining([expect.stringContaining('is not declared')]));
    });

    it('an example that breaks its schema', () => {
      expect(
        broken((doc) => {
          const example = (firstMessage(doc).examples as Json[])[0]!;
          (example.payload as Json).data = { unexpected: true };
        }),
      ).toEqual(expect.arrayContaining([expect.stringContaining('example breaks the payload schema'), expect.stringContaining('example data breaks')]));
    });

    it('an operation on another channel\'s message, or the wrong version', () => {
      expect(broken((doc) => (doc.asyncapi = '2.6.0'))).toContain('asyncapi is 2.6.0, not 3.0.0');
      expect(
        broken((doc) => {
          const [first, second] = Object.values(doc.operations as Json) as Json[];
          first!.messages = second!.messages;
        }),
      ).toEqual(expect.arrayContaining([expect.stringContaining("is not one of its channel's")]));
    });
  });
});
