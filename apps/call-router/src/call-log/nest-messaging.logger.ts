// Routes @cc/messaging's structured log lines (relays, consumers) into Nest's logger under a context name.
import { Logger } from '@nestjs/common';
import type { MessagingLogger } from '@cc/messaging';

export function nestMessagingLogger(context: string): MessagingLogger {
  const logger = new Logger(context);
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
