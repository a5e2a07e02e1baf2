// pino JSON logs for the service and a Nest LoggerService on top of it, with the correlation id
// of the current request/message mixed into every line.
import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { currentContext } from './request-context';

export function createLogger(service: string, level: string): Logger {
  const pretty = process.env.LOG_PRETTY === '1';
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => {
      const ctx = currentContext();
      return ctx ? { correlationId: ctx.correlationId, ...(ctx.tenantId ? { tenantId: ctx.tenantId } : {}) } : {};
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname' } } } : {}),
  });
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, ...rest: unknown[]): void {
    this.logger.info(this.ctx(rest), String(message));
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.logger.error({ ...this.ctx(rest), err: message instanceof Error ? message : undefined }, String(message));
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.logger.warn(this.ctx(rest), String(message));
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.logger.debug(this.ctx(rest), String(message));
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.logger.trace(this.ctx(rest), String(message));
  }
  private ctx(rest: unknown[]): Record<string, unknown> {
    const context = rest.find((r) => typeof r === 'string');
    return context ? { context } : {};
  }
}
