// Validates HTTP input (body, query, params) and NATS payloads against the zod schemas in
// libs/contracts; a failure is a 400 problem naming each bad field.
import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '@cc/contracts';
import type { z } from 'zod';
import { zodIssuesToFieldErrors } from '../errors/to-problem';

@Injectable()
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S, private readonly prefix?: string) {}

  transform(value: unknown, metadata?: ArgumentMetadata): z.infer<S> {
    return parseOrThrow(this.schema, value, this.prefix ?? (metadata?.type === 'query' ? 'query' : metadata?.type === 'param' ? 'params' : ''));
  }
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', zodIssuesToFieldErrors(result.error, prefix));
}

/** Shorthand: `@Body(zod(SetDivertRuleRequest)) body`. */
export const zod = <S extends z.ZodType>(schema: S, prefix?: string): ZodPipe<S> => new ZodPipe(schema, prefix);
