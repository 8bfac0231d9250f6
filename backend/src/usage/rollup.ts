import type { UsageRecord } from '@patchpad/shared';
import { METRICS } from './keys';

export type Increments = Map<string, number>;
export type DayRollup = { models: Increments; users: Increments; perUser: Map<string, Increments> };

function add(map: Increments, field: string, n: number): void {
  if (n !== 0) map.set(field, (map.get(field) ?? 0) + n);
}

/** `<name>:<metric>` for each metric, made once per name (the gateway books every call). */
const fieldNames = new Map<string, string[]>();
function fieldsOf(name: string): string[] {
  let fields = fieldNames.get(name);
  if (!fields) {
    fields = METRICS.map((metric) => `${name}:${metric}`);
    if (fieldNames.size > 10_000) fieldNames.clear();
    fieldNames.set(name, fields);
  }
  return fields;
}

/** Adds up a batch of one day's calls into the increments of each rollup hash. */
export function rollUp(records: readonly UsageRecord[]): DayRollup {
  const out: DayRollup = { models: new Map(), users: new Map(), perUser: new Map() };
  const values = new Array<number>(METRICS.length);
  for (const r of records) {
    let user = out.perUser.get(r.uid);
    if (!user) out.perUser.set(r.uid, (user = new Map()));
    // In METRICS order: calls, errors, in, out, cost, ms.
    values[0] = 1;
    values[1] = r.outcome === 'ok' ? 0 : 1;
    values[2] = r.tokensIn;
    values[3] = r.tokensOut;
    values[4] = r.costNanoUsd;
    values[5] = Math.round(r.latencyMs);
    const byModel = fieldsOf(r.model);
    const byUser = fieldsOf(r.uid);
    for (let m = 0; m < values.length; m++) {
      add(out.models, byModel[m]!, values[m]!);
      add(out.users, byUser[m]!, values[m]!);
      add(user, byModel[m]!, values[m]!);
    }
  }
  return out;
}
