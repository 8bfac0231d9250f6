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
};

/**
 * One Redis connection (or a Cluster client) for a role. Everything Patchpad keeps in Redis is
 * written so that this is the only place that knows which of the two it talks to: keys used
 * together share a hash tag, scripts declare their keys, and nothing scans the keyspace on a
 * request path.
 */
export function connectRedis(settings: RedisSettings, role: ConnectionRole): RedisClient {
  const options: RedisOptions = { maxRetriesPerRequest: null, connectionName: role.name, ...(role.failFast ? { enableOfflineQueue: false } : {}) };
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
