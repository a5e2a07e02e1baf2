// The adapters report trouble they recover from (a lost LISTEN connection, a failing handler) without
// depending on a logging library: services pass their pino logger, which fits this shape.
export type EventStoreLogger = { warn(message: string, context?: object): void };

export const consoleEventStoreLogger: EventStoreLogger = {
  warn: (message, context) => console.warn(`[event-store] ${message}`, context ?? ''),
};
