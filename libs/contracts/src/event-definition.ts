// One typed definition per event: name, version, zod schema and an example (used by tests and AsyncAPI).
import { z } from 'zod';
import type { CausationContext, EventEnvelope } from './envelope';
import type { ServiceName } from './services';

export type EventDefinition<TType extends string, TSchema extends z.ZodType> = {
  readonly service: ServiceName;
  readonly type: TType;
  readonly version: number;
  readonly schema: TSchema;
  readonly example: z.infer<TSchema>;
  readonly description: string;
};

export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? EventEnvelope<T, z.infer<S>> : never;
export type DataOf<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;

export function defineEvent<const TType extends string, TSchema extends z.ZodType>(def: {
  service: ServiceName;
  type: TType;
  version: number;
  schema: TSchema;
  example: z.infer<TSchema>;
  description: string;
}): EventDefinition<TType, TSchema> {
  // Fail at import time if the example drifts from the schema: contracts must not lie.
  const parsed = def.schema.safeParse(def.example);
  if (!parsed.success) {
    throw new Error(`example of ${def.type} v${def.version} does not match its schema: ${parsed.error.message}`);
  }
  return def;
}

/**
 * Wraps data into an envelope. The id and time come from the caller (an injected Clock / IdGenerator),
 * never from inside this function, so deciders stay pure and tests deterministic.
 */
export function envelope<TType extends string, TData>(
  def: { type: TType; version: number },
  data: TData,
  ctx: CausationContext & { id: string; occurredAt: string },
): EventEnvelope<TType, TData> {
  return {
    id: ctx.id,
    type: def.type,
    version: def.version,
    tenantId: ctx.tenantId,
    occurredAt: ctx.occurredAt,
    correlationId: ctx.correlationId,
    causationId: ctx.causationId,
    actor: ctx.actor,
    data,
  };
}
