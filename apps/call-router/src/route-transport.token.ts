// Injection token: how `call-router.route` is served over NATS (ROUTER_ROUTE_TRANSPORT, `raw` or `nest`).
export const ROUTE_TRANSPORT = Symbol('ROUTE_TRANSPORT');
