// The five services. Subjects, JetStream streams and DB schemas are all derived from these names.
export const SERVICES = ['agent-directory', 'schedule', 'divert', 'callback-slots', 'call-router'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Default HTTP port per service (overridable by env PORT). */
export const DEFAULT_HTTP_PORTS: Record<ServiceName, number> = {
  'agent-directory': 3101,
  schedule: 3102,
  divert: 3103,
  'callback-slots': 3104,
  'call-router': 3105,
};

/** PostgreSQL schema that holds a service's event store and read models. */
export const dbSchemaOf = (service: ServiceName): string => `svc_${service.replace(/-/g, '_')}`;
