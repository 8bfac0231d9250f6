import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

/** Calls one Lua script: its keys (all on one Cluster slot), then its arguments. */
export type Script<R = unknown> = (keys: readonly string[], args: readonly (string | number)[]) => Promise<R>;

/**
 * Loads `<name>-<numKeys>.lua` (the header of each file documents its keys, arguments and
 * replies) and registers it on a connection; `<name>-n.lua` takes any number of keys (all on
 * one slot). ioredis sends EVALSHA and falls back to EVAL, so a Redis that restarted or a new
 * Cluster node gets the script again by itself.
 */
export function defineScript<R = unknown>(redis: RedisClient, file: URL): Script<R> {
  const match = /^([a-z0-9-]+)-(\d+|n)\.lua$/.exec(basename(fileURLToPath(file)));
  if (!match) throw new Error(`script file ${file.pathname} must be named <name>-<numKeys>.lua or <name>-n.lua`);
  const [, name, numKeys] = match;
  const command = `pp_${name!.replace(/-/g, '_')}`;
  const fixed = numKeys === 'n' ? null : Number(numKeys);
  redis.defineCommand(command, { ...(fixed === null ? {} : { numberOfKeys: fixed }), lua: readFileSync(file, 'utf8') });
  const call = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<R>>)[command]!.bind(redis);
  return (keys, args) => {
    if (fixed === null) return call(keys.length, ...keys, ...args);
    if (keys.length !== fixed) throw new Error(`${name} takes ${fixed} keys, got ${keys.length}`);
    return call(...keys, ...args);
  };
}
