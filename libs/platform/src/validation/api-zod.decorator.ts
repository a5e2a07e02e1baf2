// Puts the zod schemas of libs/contracts into the OpenAPI document, so /docs shows exactly what
// the validation pipe enforces (one source of truth for both).
import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

export function toOpenApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

export function ApiZod(spec: {
  body?: z.ZodType;
  query?: z.ZodObject;
  response?: z.ZodType;
  status?: number;
  errors?: number[];
}): MethodDecorator {
  const decorators: (MethodDecorator | ClassDecorator)[] = [ApiExtraModels()];
  if (spec.body) decorators.push(ApiBody({ schema: toOpenApiSchema(spec.body, 'input') as never }));
  if (spec.query) {
    for (const [name, field] of Object.entries(spec.query.shape)) {
      const fieldSchema = field as z.ZodType;
      decorators.push(
        ApiQuery({ name, required: !fieldSchema.safeParse(undefined).success, schema: toOpenApiSchema(fieldSchema, 'input') as never }),
      );
    }
  }
  if (spec.response) decorators.push(ApiResponse({ status: spec.status ?? 200, schema: toOpenApiSchema(spec.response) as never }));
  for (const status of spec.errors ?? []) {
    decorators.push(ApiResponse({ status, description: 'application/problem+json (RFC 9457) with `code` and field `errors`' }));
  }
  return applyDecorators(...(decorators as MethodDecorator[]));
}
