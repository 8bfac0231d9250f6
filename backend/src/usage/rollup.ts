import type { UsageRecord } from '@patchpad/shared';
import type { Metric } from './keys';

export type Increments = Map<string, number>;
export type DayRollup = { models: Increments; users: Increments; perUser: Map<string, Increments> };

function add(map: Increments, field: string, n: number): void {
  if (n !== 0) map.set(field, (map.get(field) ?? 0) + n);
}

function metrics(r: UsageRecord): [Metric, number][] {
  return [
    ['calls', 1],
    ['errors', r.outcome === 'ok' ? 0 : 1],
    ['in', r.tokensIn],
    ['out', r.tokensOut],
    ['cost', r.costNanoUsd],
    ['ms', Math.round(r.latencyMs)],
  ];
}

/** Adds up a batch of one day's calls into the increments of each rollup hash. */
export function rollUp(records: readonly UsageRecord[]): DayRollup {
  const out: DayRollup = { models: new Map(), users: new Map(), perUser: new Map() };
  for (const r of records) {
    let user = out.perUser.get(r.uid);
    if (!user) out.perUser.set(r.uid, (user = new Map()));
    for (const [metric, n] of metrics(r)) {
      add(out.models, `${r.model}:${metric}`, n);
      add(out.users, `${r.uid}:${metric}`, n);
      add(user, `${r.model}:${metric}`, n);
    }
  }
  return out;
}
