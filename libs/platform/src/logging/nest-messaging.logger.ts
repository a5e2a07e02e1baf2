// Routes @cc/messaging's structured log lines (relays, consumers, dead letters) into Nest's logger (pino)
// under a context name, or into a Logger the caller already has.
import { Logger } from '@nestjs/common';
import type { MessagingLogger } from '@cc/messaging';

export function nestMessagingLogger(contextOrLogger: string | Logger): MessagingLogger {
  const logger = typeof contextOrLogger === 'string' ? new Logger(contextOrLogger) : contextOrLogger;
  const line = (fields: Record<string, unknown>, message: string): string => {
    const { err: _err, ...rest } = fields;
    return `${message} ${JSON.stringify(rest)}`;
  };
  return {
    info: (fields, message) => logger.log(line(fields, message)),
    warn: (fields, message) => logger.warn(line(fields, message)),
    error: (fields, message) => logger.error(line(fields, message)),
  };
}
