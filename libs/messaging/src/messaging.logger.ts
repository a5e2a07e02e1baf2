// The few log calls libs/messaging makes, shaped so a pino Logger fits as is (no pino dependency here).
export interface MessagingLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const write =
  (level: 'warn' | 'error') =>
  (fields: Record<string, unknown>, message: string): void => {
    const err = fields['err'];
    const line = {
      level,
      time: new Date().toISOString(),
      msg: message,
      ...fields,
      ...(err instanceof Error ? { err: { name: err.name, message: err.message, stack: err.stack } } : {}),
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  };

/** Default when the caller passes none: warnings and errors as JSON lines on stderr, info dropped. */
export const stderrMessagingLogger: MessagingLogger = {
  info: () => undefined,
  warn: write('warn'),
  error: write('error'),
};

/** A readable message from anything thrown (errors, strings, rejected non-errors). */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
