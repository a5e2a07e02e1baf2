// `call-router.route` through Nest's NATS transport (@MessagePattern), used when ROUTER_ROUTE_TRANSPORT=nest.
// The default is the raw queue subscription (replica-gated.nats-responder.ts); both speak the same wire format,
// and routing-throughput.int.spec.ts measures the two against a raw NATS echo.
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { CallRouterSubjects, RouteRequestSchema, type RoutePlan } from '@cc/contracts';
import { currentContext, parseOrThrow } from '@cc/platform';
import { RoutingService } from '../routing/routing.service';

@Controller()
export class RouteNatsController {
  constructor(private readonly routing: RoutingService) {}

  @MessagePattern(CallRouterSubjects.route)
  route(@Payload() message: unknown): RoutePlan | Promise<RoutePlan> {
    const request = parseOrThrow(RouteRequestSchema, message);
    return this.routing.route(request, { correlationId: currentContext()?.correlationId ?? randomUUID(), actor: null });
  }
}
