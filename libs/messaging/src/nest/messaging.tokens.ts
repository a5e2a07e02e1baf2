// Injection tokens of MessagingModule: the shared NATS connection and the options it was built with.
/** Inject with `@Inject(NATS_CONNECTION) nc: NatsConnection`. */
export const NATS_CONNECTION = Symbol('cc.messaging.NATS_CONNECTION');
/** The MessagingModuleOptions given to forRoot (service name, namespace…). */
export const MESSAGING_OPTIONS = Symbol('cc.messaging.MESSAGING_OPTIONS');
