// The router's own feature: call flows, live replicas (snapshot writers, catch-up, feeds), `route` over
// NATS and HTTP, call recording, call progress and the SIP edge. Start order: replicas first (the NATS
// route responder joins its queue group only once they are caught up); stop order: stop taking routes,
// then the feeds and writers, all before NATS drains. Call records are flushed by CallRecorder itself.
import { Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { CallFlowsController } from './api/call-flows.controller';
import { CallFlowsNatsController } from './api/call-flows.nats-controller';
import { CallsController } from './api/calls.controller';
import { RouteNatsController } from './api/route.nats-controller';
import { ReplicaGatedNatsResponder } from './api/replica-gated.nats-responder';
import { RoutingController } from './api/routing.controller';
import { SipEdgeController } from './api/sip-edge.controller';
import { CallProgressService } from './calls/call-progress.service';
import { CallOffers } from './calls/call-offers';
import { CallViewService } from './calls/call-view.service';
import { NatsOfferDialogue, OFFER_DIALOGUE, type OfferDialogue } from './calls/offer-dialogue';
import type { CallRouterConfig } from './config';
import { RoutingReplicas } from './domain/replicas';
import { ROUTE_TRANSPORT } from './route-transport.token';
import { CallFlowsService } from './flows/call-flows.service';
import { ReplicaSnapshotRepository } from './replicas/replica-snapshot.repository';
import { ReplicaSnapshotWriter } from './replicas/replica-snapshot.writer';
import { ReplicaSync } from './replicas/replica-sync';
import { CallRecorder } from './routing/call-recorder';
import { RoutingService } from './routing/routing.service';
import { SipEdgeService } from './sip/sip-edge.service';

@Module({})
export class RoutingModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  static forRoot(config: Pick<CallRouterConfig, 'ROUTER_ROUTE_TRANSPORT'>, options: { offerDialogue?: OfferDialogue } = {}): DynamicModule {
    const rawRoute = config.ROUTER_ROUTE_TRANSPORT === 'raw';
    return {
      module: RoutingModule,
      controllers: [
        CallFlowsController,
        CallFlowsNatsController,
        RoutingController,
        CallsController,
        SipEdgeController,
        ...(rawRoute ? [] : [RouteNatsController]),
      ],
      providers: [
        // One per process: every decision reads it, the feeds write it (single-threaded, no locks needed).
        { provide: RoutingReplicas, useValue: new RoutingReplicas() },
        { provide: ROUTE_TRANSPORT, useValue: config.ROUTER_ROUTE_TRANSPORT },
        ReplicaSnapshotRepository,
        ReplicaSnapshotWriter,
        ReplicaSync,
        CallRecorder,
        RoutingService,
        CallFlowsService,
        CallProgressService,
        CallViewService,
        CallOffers,
        options.offerDialogue ? { provide: OFFER_DIALOGUE, useValue: options.offerDialogue } : { provide: OFFER_DIALOGUE, useClass: NatsOfferDialogue },
        SipEdgeService,
        ReplicaGatedNatsResponder,
      ],
      exports: [RoutingReplicas, ReplicaSync, CallProgressService],
    };
  }

  constructor(
    private readonly sync: ReplicaSync,
    private readonly responder: ReplicaGatedNatsResponder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sync.start();
    this.responder.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.responder.stop();
    await this.sync.stop();
  }
}
