/** The one logger: structured JSON lines (pino), one child per component. */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(component: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { component },
    redact: { paths: ['*.password', '*.token', '*.secret', 'req.headers.authorization'], remove: true },
  });
}
