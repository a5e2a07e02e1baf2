// Requests and replies of the divert API. The same payload schemas validate HTTP bodies (path
// params merged in) and NATS request-reply messages (`divert.{verb}`, wrapped with tenant and actor).
import { z } from 'zod';
import { rpcSubject } from '../subjects';
import { ProblemSchema } from '../problem';
import { TenantIdSchema } from '../tenant';
import { ExtensionSchema } from '../phone';
import { DivertResolutionSchema } from './divert-resolution';
import { DivertEventTypeSchema, DivertReasonSchema } from './events';
import {
  DivertConditionSchema,
  DivertRuleInputSchema,
  DivertRulesInputSchema,
  DivertRulesSchema,
  DivertTargetSchema,
  NoAnswerRuleInputSchema,
  exampleDivertRules,
} from './rules';

const IsoInstantSchema = z.iso.datetime({ offset: true });

/**
 * Optimistic concurrency for editors: the revision the client read (`revision` of a rules view).
 * When given and the stream moved on, the change is refused with 409 instead of overwriting.
 */
const ExpectedRevisionSchema = z.number().int().min(-1).optional();

/** `GET /extensions/{extension}/diverts` */
export const GetDivertRulesRequestSchema = z.strictObject({ extension: ExtensionSchema });
export type GetDivertRulesRequest = z.infer<typeof GetDivertRulesRequestSchema>;

/** The rules of one extension as stored. `revision` -1: never configured (all off). */
export const DivertRulesViewSchema = z.strictObject({
  extension: ExtensionSchema,
  status: z.enum(['unconfigured', 'configured', 'removed']),
  rules: DivertRulesSchema,
  revision: z.number().int().min(-1),
});
export type DivertRulesView = z.infer<typeof DivertRulesViewSchema>;

const setRuleFields = {
  extension: ExtensionSchema,
  validity: DivertRuleInputSchema.shape.validity,
  target: DivertRuleInputSchema.shape.target,
  reason: DivertReasonSchema.optional(),
  expectedRevision: ExpectedRevisionSchema,
};

/**
 * `PUT /extensions/{extension}/diverts/{condition}`: set one rule, the others stay. For `noAnswer`,
 * a missing `ringSeconds` keeps the current ring time; a missing `validity` means "always valid".
 */
export const SetDivertRuleRequestSchema = z.discriminatedUnion('condition', [
  z.strictObject({ ...setRuleFields, condition: z.literal('noAnswer'), ringSeconds: NoAnswerRuleInputSchema.shape.ringSeconds }),
  z.strictObject({ ...setRuleFields, condition: z.literal(['always', 'busy', 'unreachable']) }),
]);
export type SetDivertRuleRequest = z.infer<typeof SetDivertRuleRequestSchema>;

/** `DELETE /extensions/{extension}/diverts/{condition}`: turn one rule off. */
export const ClearDivertRuleRequestSchema = z.strictObject({
  extension: ExtensionSchema,
  condition: DivertConditionSchema,
  reason: DivertReasonSchema.optional(),
  expectedRevision: ExpectedRevisionSchema,
});
export type ClearDivertRuleRequest = z.infer<typeof ClearDivertRuleRequestSchema>;

/** `PUT /extensions/{extension}/diverts`: replace all rules (a condition left out is off). */
export const ReplaceDivertRulesRequestSchema = z.strictObject({
  extension: ExtensionSchema,
  rules: DivertRulesInputSchema,
  reason: DivertReasonSchema.optional(),
  expectedRevision: ExpectedRevisionSchema,
});
export type ReplaceDivertRulesRequest = z.infer<typeof ReplaceDivertRulesRequestSchema>;

/**
 * HTTP bodies: the request minus what the path carries (`extension`, `condition`). The adapter
 * merges the path parameters back in and validates with the request schema above, so field paths
 * (`rules.busy.target.number`) are the same over HTTP and NATS. `expectedRevision` may instead come
 * as `If-Match: "<revision>"` (the `ETag` of a read).
 */
export const SetDivertRuleBodySchema = z.strictObject({
  target: DivertRuleInputSchema.shape.target,
  validity: DivertRuleInputSchema.shape.validity,
  /** `noAnswer` only. */
  ringSeconds: NoAnswerRuleInputSchema.shape.ringSeconds,
  reason: DivertReasonSchema.optional(),
  expectedRevision: ExpectedRevisionSchema,
});
export const ReplaceDivertRulesBodySchema = ReplaceDivertRulesRequestSchema.omit({ extension: true });

/** `DELETE /v1/extensions/{extension}/diverts/{condition}?reason=&expectedRevision=` (no body on DELETE). */
export const ClearDivertRuleQuerySchema = z.strictObject({
  reason: DivertReasonSchema.optional(),
  expectedRevision: z.coerce.number().int().min(-1).optional(),
});

/** The answer to set / clear / replace: `changed: false` when the request changed nothing (no event written). */
export const DivertChangeResultSchema = z.strictObject({
  extension: ExtensionSchema,
  changed: z.boolean(),
  rules: DivertRulesSchema,
  revision: z.number().int().min(-1),
});
export type DivertChangeResult = z.infer<typeof DivertChangeResultSchema>;

export const BULK_DIVERT_MAX_ITEMS = 1000;

/**
 * `POST /v1/diverts/bulk`: replace the rules of many extensions in one request. Each extension
 * is its own aggregate, so this is NOT atomic: items are applied in order, each succeeds or is
 * rejected on its own, and later items see earlier accepted ones (so two items that together form a
 * loop: the second is rejected with DIVERT.LOOP).
 */
export const BulkReplaceDivertRulesRequestSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        extension: ExtensionSchema,
        rules: DivertRulesInputSchema,
        expectedRevision: ExpectedRevisionSchema,
      }),
    )
    .min(1)
    .max(BULK_DIVERT_MAX_ITEMS)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (seen.has(item.extension)) {
          ctx.addIssue({ code: 'custom', path: [index, 'extension'], message: `extension ${item.extension} appears twice` });
        }
        seen.add(item.extension);
      });
    }),
  reason: DivertReasonSchema.optional(),
});
export type BulkReplaceDivertRulesRequest = z.infer<typeof BulkReplaceDivertRulesRequestSchema>;

export const BulkDivertItemResultSchema = z.discriminatedUnion('status', [
  z.strictObject({
    extension: ExtensionSchema,
    status: z.literal(['changed', 'unchanged']),
    rules: DivertRulesSchema,
    revision: z.number().int().min(-1),
  }),
  z.strictObject({ extension: ExtensionSchema, status: z.literal('rejected'), problem: ProblemSchema }),
]);
export type BulkDivertItemResult = z.infer<typeof BulkDivertItemResultSchema>;

/** Results in the order of the request's items. */
export const BulkReplaceDivertRulesResponseSchema = z.strictObject({ results: z.array(BulkDivertItemResultSchema) });
export type BulkReplaceDivertRulesResponse = z.infer<typeof BulkReplaceDivertRulesResponseSchema>;

/** `GET /v1/extensions/{extension}/diverts/effective?at=`: what applies at `at` (default: now), for all four conditions. */
export const EffectiveDivertRequestSchema = z.strictObject({
  extension: ExtensionSchema,
  at: IsoInstantSchema.optional(),
});
export type EffectiveDivertRequest = z.infer<typeof EffectiveDivertRequestSchema>;
export const EffectiveDivertQuerySchema = EffectiveDivertRequestSchema.omit({ extension: true });

const perCondition = <T extends z.ZodType>(schema: T) =>
  z.strictObject({ always: schema, noAnswer: schema, busy: schema, unreachable: schema });

export const EffectiveDivertResponseSchema = z.strictObject({
  extension: ExtensionSchema,
  at: IsoInstantSchema,
  /** false: an always-divert is active, the extension's phone does not ring. */
  rings: z.boolean(),
  /** Ring time of the active no-answer divert; null when none applies. */
  ringSeconds: z.number().int().nullable(),
  /** The target each condition leads to right now (windows applied; an active always-divert wins over the others). */
  targets: perCondition(DivertTargetSchema),
  /** Where a call ends up under each condition when every divert on the way is followed. */
  resolved: perCondition(DivertResolutionSchema),
});
export type EffectiveDivertResponse = z.infer<typeof EffectiveDivertResponseSchema>;

/** `GET /v1/diverts/audit?extension=` or `GET /v1/extensions/{extension}/diverts/audit`: who changed which diverts when, newest first. */
export const DivertAuditRequestSchema = z.strictObject({
  extension: ExtensionSchema.optional(),
  from: IsoInstantSchema.optional(),
  to: IsoInstantSchema.optional(),
  limit: z.number().int().min(1).max(500).default(100),
  /** Opaque, from the previous page's `nextCursor`. */
  cursor: z.string().min(1).max(200).optional(),
});
export type DivertAuditRequest = z.infer<typeof DivertAuditRequestSchema>;
/** The same as HTTP query parameters (strings): `limit` is coerced. */
export const DivertAuditQuerySchema = DivertAuditRequestSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const DivertAuditEntrySchema = z.strictObject({
  eventId: z.uuid(),
  type: DivertEventTypeSchema,
  occurredAt: IsoInstantSchema,
  actor: z.string().nullable(),
  correlationId: z.string(),
  extension: ExtensionSchema,
  /** Conditions the change touched (empty for DivertExtensionRemoved). */
  conditions: z.array(DivertConditionSchema),
  reason: z.string().nullable(),
  /** The rules after the change; null once the extension was removed. */
  rules: DivertRulesSchema.nullable(),
});
export type DivertAuditEntry = z.infer<typeof DivertAuditEntrySchema>;

export const DivertAuditResponseSchema = z.strictObject({
  entries: z.array(DivertAuditEntrySchema),
  nextCursor: z.string().nullable(),
});
export type DivertAuditResponse = z.infer<typeof DivertAuditResponseSchema>;

export const DIVERT_LIST_MAX_PAGE_SIZE = 200;

/** `GET /v1/diverts?page=&pageSize=&extension=`: the extensions that have divert rules, by extension number. */
export const ListDivertRulesRequestSchema = z.strictObject({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(DIVERT_LIST_MAX_PAGE_SIZE).default(50),
  /** Only this extension. */
  extension: ExtensionSchema.optional(),
});
export type ListDivertRulesRequest = z.infer<typeof ListDivertRulesRequestSchema>;

/** The same as HTTP query parameters (strings): numbers are coerced. */
export const ListDivertRulesQuerySchema = ListDivertRulesRequestSchema.extend({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(DIVERT_LIST_MAX_PAGE_SIZE).default(50),
});

export const DivertRulesListItemSchema = DivertRulesViewSchema.extend({
  status: z.literal('configured'),
  updatedAt: IsoInstantSchema,
  /** The actor of the last change (null for changes without one). */
  updatedBy: z.string().nullable(),
});
export type DivertRulesListItem = z.infer<typeof DivertRulesListItemSchema>;

export const ListDivertRulesResponseSchema = z.strictObject({
  items: z.array(DivertRulesListItemSchema),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
  /** Configured extensions matching the filter, over all pages. */
  total: z.number().int().min(0),
});
export type ListDivertRulesResponse = z.infer<typeof ListDivertRulesResponseSchema>;

/**
 * A NATS request to the divert service: the payload plus who asks for which tenant (HTTP takes both
 * from the JWT instead). The reply is an `RpcReply<response>` (`{ ok }` or `{ error: Problem }`).
 */
export const divertRpcRequestOf = <T extends z.ZodType>(payload: T) =>
  z.strictObject({ tenantId: TenantIdSchema, actor: z.string().min(1), payload });

type DivertRpcDefinition<Req extends z.ZodType, Res extends z.ZodType> = {
  readonly subject: string;
  readonly request: Req;
  readonly response: Res;
  readonly description: string;
  readonly example: { request: z.input<Req>; response: z.input<Res> };
};

function divertRpc<Req extends z.ZodType, Res extends z.ZodType>(
  verb: string,
  def: Omit<DivertRpcDefinition<Req, Res>, 'subject'>,
): DivertRpcDefinition<Req, Res> {
  // As with defineEvent: a contract whose example does not parse fails at import time.
  for (const [part, schema] of [
    ['request', def.request],
    ['response', def.response],
  ] as const) {
    const parsed = schema.safeParse(def.example[part]);
    if (!parsed.success) throw new Error(`example ${part} of divert.${verb} does not match its schema: ${parsed.error.message}`);
  }
  return { ...def, subject: rpcSubject('divert', verb) };
}

const rulesView = { extension: '2001', status: 'configured', rules: exampleDivertRules, revision: 3 } as const;

/** Request-reply endpoints of the divert service on NATS: subject, request and reply schema, example. */
export const DivertRpc = {
  getRules: divertRpc('get-rules', {
    description: 'The stored divert rules of one extension.',
    request: divertRpcRequestOf(GetDivertRulesRequestSchema),
    response: DivertRulesViewSchema,
    example: { request: { tenantId: 'acme', actor: 'user:admin@acme.test', payload: { extension: '2001' } }, response: rulesView },
  }),
  setRule: divertRpc('set-rule', {
    description: 'Set one divert rule of an extension.',
    request: divertRpcRequestOf(SetDivertRuleRequestSchema),
    response: DivertChangeResultSchema,
    example: {
      request: {
        tenantId: 'acme',
        actor: 'user:admin@acme.test',
        payload: { extension: '2001', condition: 'busy', target: { kind: 'number', number: '441234567890' }, reason: 'mobile while travelling' },
      },
      response: { extension: '2001', changed: true, rules: exampleDivertRules, revision: 4 },
    },
  }),
  clearRule: divertRpc('clear-rule', {
    description: 'Turn one divert rule of an extension off.',
    request: divertRpcRequestOf(ClearDivertRuleRequestSchema),
    response: DivertChangeResultSchema,
    example: {
      request: { tenantId: 'acme', actor: 'user:admin@acme.test', payload: { extension: '2001', condition: 'always' } },
      response: { extension: '2001', changed: false, rules: exampleDivertRules, revision: 3 },
    },
  }),
  replaceRules: divertRpc('replace-rules', {
    description: 'Replace all divert rules of an extension.',
    request: divertRpcRequestOf(ReplaceDivertRulesRequestSchema),
    response: DivertChangeResultSchema,
    example: {
      request: {
        tenantId: 'acme',
        actor: 'user:admin@acme.test',
        payload: {
          extension: '2001',
          rules: { noAnswer: { target: { kind: 'extension', extension: '2002' }, ringSeconds: 20 }, busy: { target: { kind: 'voicemail' } } },
          expectedRevision: 3,
        },
      },
      response: { extension: '2001', changed: true, rules: exampleDivertRules, revision: 4 },
    },
  }),
  bulkReplaceRules: divertRpc('bulk-replace-rules', {
    description: 'Replace the divert rules of many extensions; each item succeeds or fails on its own.',
    request: divertRpcRequestOf(BulkReplaceDivertRulesRequestSchema),
    response: BulkReplaceDivertRulesResponseSchema,
    example: {
      request: {
        tenantId: 'acme',
        actor: 'user:admin@acme.test',
        payload: {
          items: [
            { extension: '2001', rules: { always: { target: { kind: 'extension', extension: '2002' } } } },
            { extension: '2002', rules: { always: { target: { kind: 'extension', extension: '2001' } } } },
          ],
          reason: 'holiday cover',
        },
      },
      response: {
        results: [
          { extension: '2001', status: 'changed', rules: exampleDivertRules, revision: 0 },
          {
            extension: '2002',
            status: 'rejected',
            problem: {
              type: 'https://errors.cc.dev/divert/loop',
              title: 'The divert would close a loop',
              status: 409,
              code: 'DIVERT.LOOP',
              errors: [{ path: 'rules.always.target.extension', message: 'divert loop 2002 -> 2001 -> 2002' }],
            },
          },
        ],
      },
    },
  }),
  effectiveDivert: divertRpc('effective-divert', {
    description: 'What the diverts of an extension do at an instant, and where each condition ends up.',
    request: divertRpcRequestOf(EffectiveDivertRequestSchema),
    response: EffectiveDivertResponseSchema,
    example: {
      request: { tenantId: 'acme', actor: 'service:call-router', payload: { extension: '2001', at: '2026-11-23T09:00:00Z' } },
      response: {
        extension: '2001',
        at: '2026-11-23T09:00:00.000Z',
        rings: true,
        ringSeconds: 20,
        targets: {
          always: { kind: 'off' },
          noAnswer: { kind: 'extension', extension: '2002' },
          busy: { kind: 'voicemail' },
          unreachable: { kind: 'off' },
        },
        resolved: {
          always: { outcome: { kind: 'ring', extension: '2001', ringSeconds: 20 }, hops: [], stop: 'resolved' },
          noAnswer: {
            outcome: { kind: 'ring', extension: '2002', ringSeconds: null },
            hops: [{ from: '2001', condition: 'noAnswer', to: '2002' }],
            stop: 'resolved',
          },
          busy: { outcome: { kind: 'voicemail', extension: '2001' }, hops: [], stop: 'resolved' },
          unreachable: { outcome: { kind: 'noDivert', extension: '2001', condition: 'unreachable' }, hops: [], stop: 'resolved' },
        },
      },
    },
  }),
  listRules: divertRpc('list-rules', {
    description: 'The extensions of a tenant that have divert rules, a page at a time.',
    request: divertRpcRequestOf(ListDivertRulesRequestSchema),
    response: ListDivertRulesResponseSchema,
    example: {
      request: { tenantId: 'acme', actor: 'user:admin@acme.test', payload: { page: 1, pageSize: 50 } },
      response: {
        items: [{ ...rulesView, updatedAt: '2026-11-23T09:00:00.000Z', updatedBy: 'user:admin@acme.test' }],
        page: 1,
        pageSize: 50,
        total: 1,
      },
    },
  }),
  audit: divertRpc('audit', {
    description: 'Who changed which diverts when, newest first.',
    request: divertRpcRequestOf(DivertAuditRequestSchema),
    response: DivertAuditResponseSchema,
    example: {
      request: { tenantId: 'acme', actor: 'user:admin@acme.test', payload: { extension: '2001', limit: 50 } },
      response: {
        entries: [
          {
            eventId: '0b6f0c8e-3a53-4f35-9d3c-0f4a7c8f6b21',
            type: 'DivertRuleSet',
            occurredAt: '2026-11-23T09:00:00.000Z',
            actor: 'user:admin@acme.test',
            correlationId: 'c0ffee00-0000-4000-8000-000000000001',
            extension: '2001',
            conditions: ['noAnswer'],
            reason: 'cover for the sales desk',
            rules: exampleDivertRules,
          },
        ],
        nextCursor: null,
      },
    },
  }),
} as const;
