// Routes libs/messaging's log calls (consumers, dead letters) into the service's Nest/pino logger.
import type { Logger } from '@nestjs/common';
import type { MessagingLogger } from '@cc/messaging';

export function nestMessagingLogger(logger: Logger): MessagingLogger {
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
