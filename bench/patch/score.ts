import type { Case } from './categories.js';
import type { Tool, ToolResult } from './tools.js';

/** Correct / refused / wrong per tool and category, and the tables that show them. */

export type Outcome = 'correct' | 'refused' | 'wrong';
export type Tally = Record<Outcome, number>;
export type Tallies = Map<string, Tally>; // `${tool}\u0000${category}`

function sameSet(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

export function outcome(c: Case, r: ToolResult): Outcome {
  if (r === null) return 'refused';
  if (c.expected === null) return 'wrong';
  return sameSet(r, c.expected) ? 'correct' : 'wrong';
}

/** Runs every tool on every case (slow tools on the first `slowLimit` of each category). */
export function score(cases: readonly Case[], tools: readonly Tool[], slowLimit: number): Tallies {
  const tally: Tallies = new Map();
  const seen = new Map<string, number>();
  cases.forEach((c, i) => {
    const n = (seen.get(c.category) ?? 0) + 1;
    seen.set(c.category, n);
    for (const tool of tools) {
      if (tool.slow && n > slowLimit) continue;
      const key = `${tool.name}\u0000${c.category}`;
      const t = tally.get(key) ?? { correct: 0, refused: 0, wrong: 0 };
      t[outcome(c, tool.run(c, i))]++;
      tally.set(key, t);
    }
  });
  return tally;
}

export function totals(tally: Tallies, tool: string, cases: readonly Case[]) {
  const recoverable: Tally = { correct: 0, refused: 0, wrong: 0 };
  const unrecoverable: Tally = { correct: 0, refused: 0, wrong: 0 };
  const categories = new Map(cases.map((c) => [c.category, c.recoverable]));
  for (const [category, isRecoverable] of categories) {
    const t = tally.get(`${tool}\u0000${category}`);
    if (!t) continue;
    const into = isRecoverable ? recoverable : unrecoverable;
    for (const k of ['correct', 'refused', 'wrong'] as const) into[k] += t[k];
  }
  const recoverableCount = recoverable.correct + recoverable.refused + recoverable.wrong;
  const pct = (100 * recoverable.correct) / Math.max(1, recoverableCount);
  return { recoverable, unrecoverable, recoverableCount, pct, wrong: recoverable.wrong + unrecoverable.wrong };
}

const cell = (t: Tally | undefined) => (t ? `${t.correct} / ${t.refused} / ${t.wrong}` : '–');

/** One markdown table: a row per category (in `order`), a summary row. */
export function table(cases: readonly Case[], tools: readonly Tool[], tally: Tallies, order: readonly string[], slowLimit: number): string[] {
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(c.category, (counts.get(c.category) ?? 0) + 1);
  const recoverable = new Map(cases.map((c) => [c.category, c.recoverable]));
  const head = `| category | cases | ${tools.map((t) => (t.slow ? `${t.name} (first ${slowLimit})` : t.name)).join(' | ')} |`;
  const rows = order
    .filter((c) => counts.has(c))
    .map(
      (c) =>
        `| ${c}${recoverable.get(c) ? '' : ' *(want refusal)*'} | ${counts.get(c)} | ${tools.map((t) => cell(tally.get(`${t.name}\u0000${c}`))).join(' | ')} |`,
    );
  const summary = tools.map((t) => {
    const s = totals(tally, t.name, cases);
    return `${s.pct.toFixed(1)}% correct, ${s.wrong} wrong`;
  });
  return [head, `|---|---|${tools.map(() => '---|').join('')}`, ...rows, `| **recoverable: correct %, all: wrong** | | ${summary.join(' | ')} |`];
}
