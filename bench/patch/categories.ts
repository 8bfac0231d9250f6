import { editFile, referenceHunks, type RefHunk, type SourceFile } from './corpus.js';
import { occurrences, oldSide, render, hunkHeader } from './render.js';
import type { Rng } from './rng.js';

/**
 * Benchmark cases: a real edit of a real file, its correct diff, then the diff damaged the
 * way models damage them. Recoverable categories expect the exact edited file; the last two
 * expect a refusal (applying anything there is a guess).
 */

export interface Case {
  category: string;
  recoverable: boolean;
  files: Record<string, string>;
  patch: string;
  /** The full file set after a correct apply; null when the right outcome is a refusal. */
  expected: Record<string, string> | null;
}

const BYSTANDER = { 'README.md': '# unrelated\n' };

interface Base {
  src: SourceFile;
  before: string;
  after: string;
  hunks: RefHunk[];
}

function base(src: SourceFile, rng: Rng): Base | null {
  const after = editFile(src.text, rng);
  const hunks = referenceHunks(src.text, after);
  return hunks.length === 0 ? null : { src, before: src.text, after, hunks };
}

const modify = (b: Base, hunks: RefHunk[] = b.hunks, extra: Partial<Parameters<typeof render>[1]> = {}) =>
  render(hunks, { oldPath: b.src.path, newPath: b.src.path, ...extra });
const ok = (b: Base, patch: string, category: string): Case => ({
  category,
  recoverable: true,
  files: { [b.src.path]: b.before, ...BYSTANDER },
  patch,
  expected: { [b.src.path]: b.after, ...BYSTANDER },
});
const mapLines = (hunks: RefHunk[], f: (line: string, h: number) => string): RefHunk[] => hunks.map((h, i) => ({ ...h, lines: h.lines.map((l) => f(l, i)) }));
const isBody = (l: string) => l[0] === ' ' || l[0] === '-' || l[0] === '+';

function anyAmbiguous(b: Base): boolean {
  const lines = b.before.split('\n');
  return b.hunks.some((h) => occurrences(lines, oldSide(h)) > 1);
}

function driftWhitespace(text: string, rng: Rng): string {
  switch (rng.int(0, 3)) {
    case 0:
      return `${text}${rng.pick([' ', '  ', '\t'])}`;
    case 1:
      return text.replace(/ (?=\S)/, '  ');
    case 2:
      return text.replace(/^( {4})/, '\t').replace(/^\t(?=\S)/, '    ');
    default:
      return text.trimEnd() === text ? `${text} ` : text.trimEnd();
  }
}

function slightlyWrong(text: string, rng: Rng): string {
  const i = rng.int(Math.floor(text.length / 3), text.length - 2);
  const c = text[i]!;
  const swap = /[a-z]/i.test(c) ? (c === 'e' ? 'a' : 'e') : c === ';' ? ',' : 'x';
  return text.slice(0, i) + swap + text.slice(i + 1);
}

type Maker = (b: Base, rng: Rng) => Case | null;

export const CATEGORIES: Record<string, Maker> = {
  clean: (b) => ok(b, modify(b), 'clean'),
  wrong_line_numbers: (b, rng) => {
    const shift = rng.pick([-1, 1]) * rng.int(3, 60);
    const jitter = rng.chance(0.5);
    const hunks = b.hunks.map((h) => {
      const s = shift + (jitter ? rng.int(-3, 3) : 0);
      return { ...h, oldStart: Math.max(1, h.oldStart + s), newStart: Math.max(1, h.newStart + s) };
    });
    return ok(b, modify(b, hunks), 'wrong_line_numbers');
  },
  no_line_numbers: (b) => (anyAmbiguous(b) ? null : ok(b, modify(b, b.hunks, { numbers: 'none' }), 'no_line_numbers')),
  wrong_counts: (b, rng) => {
    let patch = modify(b);
    patch = patch.replace(/^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@$/gm, (_m, o, n) =>
      rng.chance(0.3) ? `@@ -${o} +${n} @@` : `@@ -${o},${rng.int(1, 9)} +${n},${rng.int(1, 9)} @@`,
    );
    return ok(b, patch, 'wrong_counts');
  },
  context_no_space: (b, rng) => {
    const all = rng.chance(0.5);
    return ok(
      b,
      modify(
        b,
        mapLines(b.hunks, (l) => (l[0] === ' ' && (all || rng.chance(0.5)) ? l.slice(1) : l)),
      ),
      'context_no_space',
    );
  },
  whitespace_drift: (b, rng) =>
    ok(
      b,
      modify(
        b,
        mapLines(b.hunks, (l) => ((l[0] === ' ' || l[0] === '-') && l.trim() !== '' && rng.chance(0.35) ? l[0] + driftWhitespace(l.slice(1), rng) : l)),
      ),
      'whitespace_drift',
    ),
  indentation_shift: (b, rng) => {
    const tabs = /^\t/m.test(b.before) && !/^ {2}/m.test(b.before);
    const extra = tabs ? '\t' : rng.pick(['  ', '    ']);
    return ok(
      b,
      modify(
        b,
        mapLines(b.hunks, (l) => (isBody(l) && l.slice(1).trim() !== '' ? l[0] + extra + l.slice(1) : l)),
      ),
      'indentation_shift',
    );
  },
  wrong_context_line: (b, rng) => {
    const spots: Array<[number, number]> = [];
    b.hunks.forEach((h, hi) => h.lines.forEach((l, li) => l[0] === ' ' && l.trim().length >= 12 && spots.push([hi, li])));
    if (spots.length === 0) return null;
    const [hi, li] = rng.pick(spots);
    const hunks = b.hunks.map((h, i) => (i !== hi ? h : { ...h, lines: h.lines.map((l, j) => (j === li ? ` ${slightlyWrong(l.slice(1), rng)}` : l)) }));
    return ok(b, modify(b, hunks), 'wrong_context_line');
  },
  hunks_out_of_order: (b) => (b.hunks.length < 2 ? null : ok(b, modify(b, [...b.hunks].reverse()), 'hunks_out_of_order')),
  fenced_with_prose: (b) =>
    ok(b, `Sure — here is the change you asked for:\n\n\`\`\`diff\n${modify(b)}\`\`\`\n\nThis keeps the public API unchanged.\n`, 'fenced_with_prose'),
  header_variants: (b, rng) => {
    const v = rng.int(0, 3);
    const opts = [
      { prefixes: ['', ''] as [string, string], gitLine: false },
      { prefixes: ['./', './'] as [string, string], gitLine: false },
      { gitLine: false, timestamps: true },
      { prefixes: ['', ''] as [string, string], gitLine: false, timestamps: true },
    ][v]!;
    return ok(b, modify(b, b.hunks, opts), 'header_variants');
  },
  crlf_mismatch: (b, rng) => {
    if (rng.chance(0.5)) return ok(b, modify(b).replace(/\n/g, '\r\n'), 'crlf_mismatch');
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    return {
      category: 'crlf_mismatch',
      recoverable: true,
      files: { [b.src.path]: crlf(b.before), ...BYSTANDER },
      patch: modify(b),
      expected: { [b.src.path]: crlf(b.after), ...BYSTANDER },
    };
  },
  new_file: (b) => {
    const path = b.src.path.replace(/(\.\w+)$/, '.new$1');
    const patch = render(referenceHunks('', b.after), { oldPath: null, newPath: path, extra: ['new file mode 100644'] }).replace(
      /^diff --git .*$/m,
      `diff --git a/${path} b/${path}`,
    );
    return { category: 'new_file', recoverable: true, files: { ...BYSTANDER }, patch, expected: { ...BYSTANDER, [path]: b.after } };
  },
  delete_file: (b) => {
    const patch = render(referenceHunks(b.before, ''), { oldPath: b.src.path, newPath: null, extra: ['deleted file mode 100644'] }).replace(
      /^diff --git .*$/m,
      `diff --git a/${b.src.path} b/${b.src.path}`,
    );
    return { category: 'delete_file', recoverable: true, files: { [b.src.path]: b.before, ...BYSTANDER }, patch, expected: { ...BYSTANDER } };
  },
  rename: (b) => {
    const to = b.src.path.replace(/([^/]+)$/, 'renamed-$1');
    const patch = render(b.hunks, { oldPath: b.src.path, newPath: to, extra: ['similarity index 90%', `rename from ${b.src.path}`, `rename to ${to}`] });
    return { category: 'rename', recoverable: true, files: { [b.src.path]: b.before, ...BYSTANDER }, patch, expected: { [to]: b.after, ...BYSTANDER } };
  },
  combined: (b, rng) => {
    const shift = rng.int(5, 40);
    const hunks = mapLines(b.hunks, (l) => (l[0] === ' ' ? l.slice(1) : l)).map((h) => ({ ...h, oldStart: h.oldStart + shift, newStart: h.newStart + shift }));
    return ok(b, `Here you go:\n\`\`\`diff\n${modify(b, hunks, { prefixes: ['', ''], gitLine: false })}\`\`\`\n`, 'combined');
  },
  removed_line_not_in_file: (b) => {
    const hi = b.hunks.findIndex((h) => h.lines.some((l) => l[0] === '-' && l.trim().length > 3));
    if (hi === -1) return null;
    const hunks = b.hunks.map((h, i) => {
      if (i !== hi) return h;
      const li = h.lines.findIndex((l) => l[0] === '-' && l.trim().length > 3);
      return { ...h, lines: h.lines.map((l, j) => (j === li ? `-${l.slice(1).replace(/\w+/, 'staleName')} /* as of last week */` : l)) };
    });
    return {
      category: 'removed_line_not_in_file',
      recoverable: false,
      files: { [b.src.path]: b.before, ...BYSTANDER },
      patch: modify(b, hunks),
      expected: null,
    };
  },
  ambiguous_no_numbers: (b, rng) => {
    const lines = b.before.split('\n');
    const at = rng.int(5, lines.length - 25);
    const block = lines.slice(at, at + 9);
    if (block.filter((l) => l.trim() !== '').length < 7) return null;
    const dup = [...lines.slice(0, at + 9), '', ...block, ...lines.slice(at + 9)];
    const edited = [...dup];
    edited[at + 4] = `${edited[at + 4]} // changed`;
    const hunks = referenceHunks(dup.join('\n'), edited.join('\n'));
    if (hunks.length !== 1 || occurrences(dup, oldSide(hunks[0]!)) < 2) return null;
    const patch = render(hunks, { oldPath: b.src.path, newPath: b.src.path, numbers: 'none' });
    return { category: 'ambiguous_no_numbers', recoverable: false, files: { [b.src.path]: dup.join('\n'), ...BYSTANDER }, patch, expected: null };
  },
};

export function makeCases(corpus: readonly SourceFile[], rng: Rng, perCategory: number): Case[] {
  const cases: Case[] = [];
  for (const make of Object.values(CATEGORIES)) {
    let made = 0;
    for (let tries = 0; made < perCategory && tries < perCategory * 6; tries++) {
      const b = base(corpus[tries % corpus.length]!, rng);
      const c = b && make(b, rng);
      if (c) {
        cases.push(c);
        made++;
      }
    }
  }
  return cases;
}

export { hunkHeader };
