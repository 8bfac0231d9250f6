import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

export type RedisScript = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/**
 * Loads a documented Lua script (`<name>-<numKeys>.lua`, or `<name>-n.lua` for a variable
 * number of keys) and returns a function that runs it by SHA (ioredis falls back to EVAL
 * once when Redis does not know it yet).
 */
export function defineScript(redis: Redis, file: URL): RedisScript {
  const match = /([a-z0-9-]+)-(\d+|n)\.lua$/.exec(file.pathname);
  if (!match) throw new Error(`script file ${file.pathname} must be named <name>-<numKeys>.lua`);
  const name = `pp_${match[1]!.replace(/-/g, '_')}_${match[2]}`;
  const variable = match[2] === 'n';
  const numberOfKeys = variable ? undefined : Number(match[2]);
  if (!(name in redis)) redis.defineCommand(name, { ...(numberOfKeys !== undefined ? { numberOfKeys } : {}), lua: readFileSync(file, 'utf8') });
  const command = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[name]!;
  return (keys, args) => {
    if (variable) return command.call(redis, keys.length, ...keys, ...args);
    if (keys.length !== numberOfKeys) throw new Error(`${name} takes ${numberOfKeys} keys, got ${keys.length}`);
    return command.call(redis, ...keys, ...args);
  };
}
