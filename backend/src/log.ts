import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs to stdout; every request and task gets a child logger carrying its id.
 * `buffered`: lines are written in batches of about 4 KiB instead of one write per line (the
 * gateway logs every model call; pino flushes what is left when the process exits).
 */
export function createLogger(level: string, name: string, options: { buffered?: boolean } = {}): Logger {
  const destination = options.buffered ? pino.destination({ dest: 1, sync: false, minLength: 4096 }) : undefined;
  const logger = pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  if (destination) {
    // A quiet gateway must not hold its last lines for long.
    setInterval(() => destination.flush(), 1000).unref();
  }
  return logger;
}
