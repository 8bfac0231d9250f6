import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs to stdout; every request and task gets a child logger carrying its id. */
export function createLogger(level: string, name: string): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}
