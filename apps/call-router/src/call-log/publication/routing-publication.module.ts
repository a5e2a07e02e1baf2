// Publishes the router's routing events to JetStream (stream ROUTING, per-agent copies in ROUTING_AGENT)
// from its event store. Needs the composition root's EventSourcingModule (store, NATS) and PlatformModule.
import { Module } from '@nestjs/common';
import { RoutingEventRelay } from './routing-event.relay';

@Module({ providers: [RoutingEventRelay], exports: [RoutingEventRelay] })
export class RoutingPublicationModule {}
