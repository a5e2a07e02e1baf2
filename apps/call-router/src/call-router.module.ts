// Composition root of the call-router service: platform wiring, event sourcing (store, relay to JetStream),
// the read models (replica snapshot, SIP call index, call log, webhooks), the routing feature, the
// publication of routing events, the call log with visibility and agent performance, and webhooks.
import { Module, type DynamicModule } from '@nestjs/common';
import { EventSourcingModule, PlatformModule, ReadModelsModule, type BaseConfig, type Clock } from '@cc/platform';
import type { OfferDialogue } from './calls/offer-dialogue';
import { callRouterConfigOf, type CallRouterConfig } from './config';
import { ROUTING_MIGRATIONS } from './routing.read-models';
import { RoutingModule } from './routing.module';
import { CALL_LOG_ENTITIES, CALL_LOG_MIGRATIONS } from './call-log/call-log.read-models';
import { CallLogModule } from './call-log/call-log.module';
import { RoutingPublicationModule } from './call-log/publication/routing-publication.module';
import { WEBHOOK_ENTITIES, WEBHOOK_MIGRATIONS } from './webhooks/webhooks.read-models';
import { WebhooksModule } from './webhooks/webhooks.module';
import { CALL_FLOW_STREAM_PREFIX } from './replicas/call-flow-snapshot.projection';

@Module({})
export class CallRouterModule {
  /**
   * `config` is a CallRouterConfig from main.ts; tests may pass the base config (router settings then default),
   * a clock, and a stand-in for callback-slots' offer dialogue.
   */
  static forRoot(config: BaseConfig & Partial<CallRouterConfig>, options: { clock?: Clock; offerDialogue?: OfferDialogue } = {}): DynamicModule {
    const service = 'call-router';
    const full = callRouterConfigOf(config);
    return {
      module: CallRouterModule,
      imports: [
        PlatformModule.forRoot({ service, config: full, ...(options.clock ? { clock: options.clock } : {}) }),
        EventSourcingModule.forRoot({
          service,
          config: full,
          // EVT_CALL_ROUTER carries call flows; calls' routing events are published on ROUTING (RoutingEventRelay).
          relayStreamPrefixes: [CALL_FLOW_STREAM_PREFIX],
        }),
        ReadModelsModule.forRoot({
          service,
          config: full,
          entities: [...CALL_LOG_ENTITIES, ...WEBHOOK_ENTITIES],
          migrations: [
            ...ROUTING_MIGRATIONS,
            ...CALL_LOG_MIGRATIONS,
            ...WEBHOOK_MIGRATIONS,
          ],
        }),
        RoutingModule.forRoot(full, options.offerDialogue ? { offerDialogue: options.offerDialogue } : {}),
        // Issue 10: routing events on JetStream, the call log with visibility and performance, webhooks.
        RoutingPublicationModule,
        CallLogModule,
        WebhooksModule.forRoot(full),
      ],
    };
  }
}
