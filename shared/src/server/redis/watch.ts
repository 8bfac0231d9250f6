import type { RedisClient } from './script';

type Log = { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };

/**
 * Logs once that a Redis connection went away and once that it is back. ioredis reconnects by
 * itself; without an 'error' listener it would print every failed attempt to stderr.
 * `log` null: handle errors quietly (per-request readers, which would only repeat the news).
 */
export function watchConnection<C extends RedisClient>(connection: C, role: string, log: Log | null): C {
  let down = false;
  connection.on('error', (err: Error) => {
    if (!down) log?.warn({ role, err: err.message }, 'redis connection lost; reconnecting');
    down = true;
  });
  connection.on('ready', () => {
    if (down) log?.info({ role }, 'redis connection back');
    down = false;
  });
  return connection;
}
