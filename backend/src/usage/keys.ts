/**
 * Usage rollups, one set of keys per UTC day, all sharing the hash tag `{usage:<day>}` so that
 * one script updates them together on one Redis Cluster slot.
 */
export function usageKeys(prefix: string, day: string) {
  const base = `${prefix}:{usage:${day}}`;
  return {
    /** HASH `<model>:<metric>` → total of the day per model. */
    models: `${base}:models`,
    /** HASH `<uid>:<metric>` → total of the day per user. */
    users: `${base}:users`,
    /** HASH `<model>:<metric>` → one user's day per model. */
    user: (uid: string) => `${base}:user:${uid}`,
    /** STREAM of the day's calls (capped), each the full usage record. */
    calls: `${base}:calls`,
  };
}

export const METRICS = ['calls', 'errors', 'in', 'out', 'cost', 'ms'] as const;
export type Metric = (typeof METRICS)[number];
