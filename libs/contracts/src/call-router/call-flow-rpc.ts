// Call-flow management over NATS request-reply (`call-router.flow-*`, queue group call-router), the same
// operations as the HTTP API (`/v1/call-flows`) for internal services, which name tenant and actor.
import { z } from 'zod';
import { E164Schema } from '../phone';
import { rpcSubject } from '../subjects';
import { TenantIdSchema } from '../tenant';
import { DEFAULT_CALL_FLOW_SETTINGS, exampleCallFlow } from './call-flow';
import { CallFlowViewSchema, PublishCallFlowRequestSchema, RetireCallFlowRequestSchema } from './messages';

/** A NATS request: the payload plus who asks for which tenant (HTTP takes both from the JWT). */
export const callRouterRpcRequestOf = <T extends z.ZodType>(payload: T) =>
  z.strictObject({ tenantId: TenantIdSchema, actor: z.string().min(1), payload });

export const GetCallFlowRequestSchema = z.strictObject({ number: E164Schema });
export type GetCallFlowRequest = z.infer<typeof GetCallFlowRequestSchema>;

export const ListCallFlowsRequestSchema = z.strictObject({});
export const ListCallFlowsResponseSchema = z.strictObject({ items: z.array(CallFlowViewSchema) });
export type ListCallFlowsResponse = z.infer<typeof ListCallFlowsResponseSchema>;

/** The result of a publish: the current flow, and whether this request made a new version. */
export const PublishCallFlowResponseSchema = CallFlowViewSchema.extend({ changed: z.boolean() });
export type PublishCallFlowResponse = z.infer<typeof PublishCallFlowResponseSchema>;

type CallFlowRpcDefinition<Req extends z.ZodType, Res extends z.ZodType> = {
  readonly subject: string;
  readonly request: Req;
  readonly response: Res;
  readonly description: string;
  readonly example: { request: z.input<Req>; response: z.input<Res> };
};

function callFlowRpc<Req extends z.ZodType, Res extends z.ZodType>(
  verb: string,
  def: Omit<CallFlowRpcDefinition<Req, Res>, 'subject'>,
): CallFlowRpcDefinition<Req, Res> {
  for (const [part, schema] of [
    ['request', def.request],
    ['response', def.response],
  ] as const) {
    const parsed = schema.safeParse(def.example[part]);
    if (!parsed.success) throw new Error(`example ${part} of call-router.${verb} does not match its schema: ${parsed.error.message}`);
  }
  return { ...def, subject: rpcSubject('call-router', verb) };
}

const actor = { tenantId: 'acme', actor: 'service:provisioning' } as const;
const exampleView = { number: exampleCallFlow.number, version: 3, status: 'published' as const, flow: exampleCallFlow };

export const CallFlowRpc = {
  publish: callFlowRpc('flow-publish', {
    description: "Publish a new version of a number's call flow (validated graph); unchanged when it equals the current one.",
    request: callRouterRpcRequestOf(PublishCallFlowRequestSchema),
    response: PublishCallFlowResponseSchema,
    example: {
      request: { ...actor, payload: { flow: { ...exampleCallFlow, settings: DEFAULT_CALL_FLOW_SETTINGS }, expectedVersion: 2 } },
      response: { ...exampleView, changed: true },
    },
  }),
  get: callFlowRpc('flow-get', {
    description: "A number's current call flow and version.",
    request: callRouterRpcRequestOf(GetCallFlowRequestSchema),
    response: CallFlowViewSchema,
    example: { request: { ...actor, payload: { number: exampleCallFlow.number } }, response: exampleView },
  }),
  list: callFlowRpc('flow-list', {
    description: "The tenant's call flows, retired ones included.",
    request: callRouterRpcRequestOf(ListCallFlowsRequestSchema),
    response: ListCallFlowsResponseSchema,
    example: { request: { ...actor, payload: {} }, response: { items: [exampleView] } },
  }),
  retire: callFlowRpc('flow-retire', {
    description: 'Retire the call flow of a number: new calls to it are not routable; calls in progress finish.',
    request: callRouterRpcRequestOf(RetireCallFlowRequestSchema),
    response: CallFlowViewSchema,
    example: {
      request: { ...actor, payload: { number: exampleCallFlow.number, reason: 'number ported out' } },
      response: { ...exampleView, status: 'retired' },
    },
  }),
} as const;
