import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisClient } from './script';

export type RedisSettings = {
  /** A single Redis: `redis://[user:password@]host:port[/db]`. */
  url: string;
  /** Redis Cluster seed nodes (`host:port`); when given, `url` only supplies credentials. */
  clusterNodes: string[];
};

export type ConnectionRole = {
  /** Shown by CLIENT LIST, so an operator (and a test) can tell whose connection it is. */
  name: string;
  /**
   * Commands fail at once while Redis is unreachable instead of queueing (an HTTP request
   * answers 503 rather than hanging). Subscribers and BullMQ's workers keep the default and
   * carry on after a reconnect.
   */
  failFast: boolean;
  /**
   * Fail-fast connections only: how long a command may wait for its reply before it fails.
   * A Redis host that stops answering without closing the connection (a partition, a frozen
   * process) would otherwise hold every request until TCP gives up, minutes later.
   */
  commandTimeoutMs?: number;
};

/** Generous for any one command Patchpad sends on a request path, short of a client's patience. */
export const FAIL_FAST_COMMAND_TIMEOUT_MS = 10_000;

/**
 * One Redis connection (or a Cluster client) for a role. Everything Patchpad keeps in Redis is
 * written so that this is the only place that knows which of the two it talks to: keys used
 * together share a hash tag, scripts declare their keys, and nothing scans the keyspace on a
 * request path.
 */
export function connectRedis(settings: RedisSettings, role: ConnectionRole): RedisClient {
  const options: RedisOptions = {
    connectionName: role.name,
    ...(role.failFast
      ? {
          enableOfflineQueue: false,
          // A command already written when the connection drops would otherwise wait in
          // ioredis for the reconnect and be sent again then: the request hangs for as long as
          // Redis is away. Zero retries fails it at the drop (MaxRetriesPerRequestError), as
          // the offline queue's absence fails the commands sent after it.
          maxRetriesPerRequest: 0,
          commandTimeout: role.commandTimeoutMs ?? FAIL_FAST_COMMAND_TIMEOUT_MS,
        }
      : // Blocking readers (BullMQ's workers) and subscribers wait out an outage and carry on.
        { maxRetriesPerRequest: null }),
  };
  if (settings.clusterNodes.length === 0) return new Redis(settings.url, options);
  const auth = new URL(settings.url);
  const nodes = settings.clusterNodes.map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
  return new Cluster(nodes, {
    redisOptions: {
      ...options,
      ...(auth.username ? { username: decodeURIComponent(auth.username) } : {}),
      ...(auth.password ? { password: decodeURIComponent(auth.password) } : {}),
    },
    enableOfflineQueue: !role.failFast,
    // BullMQ's own advice for clusters: commands follow MOVED/ASK without giving up.
    maxRedirections: 16,
  });
}
