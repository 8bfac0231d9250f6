import { structuredPatch } from 'diff';
import type { RefHunk } from '../corpus.js';
import type { Case } from '../categories.js';
import { render, type RenderOptions } from '../render.js';
import type { Rng } from '../rng.js';
import type { GeneralFile } from './corpus.js';
import { driftShift, driftStyle, dropContext, elide, JSX_MARKERS, MARKERS, oddPath, restylesFor, wrap, type PathStyle, type Wrapping } from './damage.js';
import { editGeneral, indentUnit } from './edits.js';
import { countAlignments, type OldItem } from './oracle.js';

/**
 * The generalisation set: the defect descriptions applied to the generalisation
 * corpus by this generator (not the tuning set's). Never tuned on: the engine is developed
 * against its unit tests, golden fixtures and the tuning set, and this set only reports.
 */

interface Base {
  file: GeneralFile;
  before: string; // LF
  after: string; // LF
  crlf: boolean;
  unit: string;
  hunks: RefHunk[];
  bystanders: Record<string, string>;
}

const toCrlf = (s: string) => s.replace(/\n/g, '\r\n');

function hunksOf(before: string, after: string, context: number): RefHunk[] {
  return structuredPatch('x', 'x', before, after, '', '', { context }).hunks.map((h) => ({ ...h, lines: [...h.lines] }));
}

function base(file: GeneralFile, corpus: readonly GeneralFile[], rng: Rng, context = 3): Base | null {
  const crlf = file.text.includes('\r\n');
  const before = crlf ? file.text.replace(/\r\n/g, '\n') : file.text;
  const after = editGeneral(before, file.kind === 'jsx', rng);
  const hunks = hunksOf(before, after, context);
  if (hunks.length === 0) return null;
  const bystanders: Record<string, string> = {};
  for (let i = 0; i < 2; i++) {
    const other = rng.pick(corpus as GeneralFile[]);
    if (other.path !== file.path) bystanders[other.path] = other.text;
  }
  return { file, before, after, crlf, unit: indentUnit(before.split('\n')), hunks, bystanders };
}

/** Header counts as a model would write them for the lines it wrote. */
function recount(hunks: RefHunk[]): RefHunk[] {
  return hunks.map((h) => ({
    ...h,
    oldLines: h.lines.filter((l) => l[0] !== '+').length,
    newLines: h.lines.filter((l) => l[0] !== '-').length,
  }));
}

function diff(b: Base, hunks: RefHunk[], o: Partial<RenderOptions> = {}): string {
  return render(recount(hunks), { oldPath: b.file.path, newPath: b.file.path, ...o });
}

function files(b: Base, extra: Record<string, string> = {}): Record<string, string> {
  return { [b.file.path]: b.crlf ? toCrlf(b.before) : b.before, ...b.bystanders, ...extra };
}

function ok(b: Base, category: string, patch: string): Case {
  return { category, recoverable: true, files: files(b), patch, expected: { ...files(b), [b.file.path]: b.crlf ? toCrlf(b.after) : b.after } };
}

function refuse(b: Base, category: string, patch: string, fileSet = files(b)): Case {
  return { category, recoverable: false, files: fileSet, patch, expected: null };
}

const lines = (b: Base) => b.before.split('\n');
const unique = (b: Base, items: OldItem[]) => countAlignments(lines(b), items) === 1;
const indented = (b: Base) => b.hunks.some((h) => h.lines.some((l) => l[0] !== '+' && /^[ \t]+\S/.test(l.slice(1))));

type Maker = (b: Base, rng: Rng) => Case | null;

const PATH_STYLES: PathStyle[] = ['mnemonic', 'old_new', 'leading_slash', 'dot_slash', 'backslashes', 'folder_prefix', 'other_root', 'case'];
const WRAPPINGS: Wrapping[] = ['other_language', 'untagged', 'split_fences', 'prose_between_hunks', 'unfenced_trailing_text'];

function elided(b: Base, rng: Rng): { hunks: RefHunk[]; items: OldItem[] } | null {
  const hi = rng.int(0, b.hunks.length - 1);
  const marker = b.file.kind === 'jsx' && rng.chance(0.4) ? rng.pick(JSX_MARKERS) : rng.pick(MARKERS);
  const e = elide(b.hunks[hi]!, marker, rng.chance(0.6), rng);
  if (!e) return null;
  return { hunks: b.hunks.map((h, i) => (i === hi ? e.hunk : h)), items: e.items };
}

export const GENERAL_CATEGORIES: Record<string, { recoverable: boolean; context?: number; make: Maker }> = {
  partial_indent_restyle: {
    recoverable: true,
    make: (b, rng) => (indented(b) ? ok(b, 'partial_indent_restyle', diff(b, driftStyle(b.hunks, rng.pick(restylesFor(b.unit)), false))) : null),
  },
  partial_indent_shift: {
    recoverable: true,
    make: (b) => (indented(b) ? ok(b, 'partial_indent_shift', diff(b, driftShift(b.hunks, b.unit))) : null),
  },
  whole_hunk_restyle: {
    recoverable: true,
    make: (b, rng) => (indented(b) ? ok(b, 'whole_hunk_restyle', diff(b, driftStyle(b.hunks, rng.pick(restylesFor(b.unit)), true))) : null),
  },
  context_missing_lines: {
    recoverable: true,
    make: (b, rng) => {
      const hi = rng.int(0, b.hunks.length - 1);
      const d = dropContext(b.hunks[hi]!, rng);
      if (!d || d.insertionOpen || !unique(b, d.items)) return null;
      return ok(
        b,
        'context_missing_lines',
        diff(
          b,
          b.hunks.map((h, i) => (i === hi ? d.hunk : h)),
        ),
      );
    },
  },
  elided_context: {
    recoverable: true,
    context: 6,
    make: (b, rng) => {
      const e = elided(b, rng);
      return e && unique(b, e.items) ? ok(b, 'elided_context', diff(b, e.hunks)) : null;
    },
  },
  odd_path_header: {
    recoverable: true,
    make: (b, rng) => {
      const style = rng.pick(PATH_STYLES);
      const [oldP, newP] = oddPath(b.file.path, style);
      if (oldP.slice(2) === b.file.path && style === 'case') return null;
      const git = rng.chance(0.4) && style !== 'backslashes';
      return ok(b, 'odd_path_header', render(b.hunks, { oldPath: oldP, newPath: newP, prefixes: ['', ''], gitLine: git }));
    },
  },
  fences_and_prose: {
    recoverable: true,
    make: (b, rng) => ok(b, 'fences_and_prose', wrap(diff(b, b.hunks), rng.pick(WRAPPINGS), rng)),
  },
  combined: {
    recoverable: true,
    context: 5,
    make: (b, rng) => {
      let hunks = b.hunks;
      let items: OldItem[] | null = null;
      if (rng.chance(0.5)) {
        const e = elided(b, rng);
        if (!e) return null;
        [hunks, items] = [e.hunks, e.items];
      }
      if (indented(b) && rng.chance(0.6)) hunks = driftStyle(hunks, rng.pick(restylesFor(b.unit)), false);
      if (items && !unique(b, items)) return null;
      const shift = rng.chance(0.5) ? rng.int(-30, 30) : 0;
      hunks = hunks.map((h) => ({ ...h, oldStart: Math.max(1, h.oldStart + shift), newStart: Math.max(1, h.newStart + shift) }));
      const style = rng.pick(PATH_STYLES.filter((s) => s !== 'case'));
      const [oldP, newP] = rng.chance(0.5) ? oddPath(b.file.path, style) : [`a/${b.file.path}`, `b/${b.file.path}`];
      const text = render(recount(hunks), { oldPath: oldP, newPath: newP, prefixes: ['', ''], gitLine: false });
      return ok(b, 'combined', wrap(text, rng.pick(WRAPPINGS), rng));
    },
  },
  context_missing_at_insertion: {
    recoverable: false,
    make: (b) => {
      const hi = b.hunks.findIndex((h) => h.lines.some((l) => l[0] === '+') && !h.lines.some((l) => l[0] === '-'));
      if (hi === -1) return null;
      const h = b.hunks[hi]!;
      const at = h.lines.findIndex((l, i) => l[0] === ' ' && l.trim() !== '' && h.lines[i + 1]?.[0] === '+' && i > 0);
      if (at === -1) return null;
      const lines = h.lines.filter((_, i) => i !== at);
      // Lines that still fit somewhere as written make a valid hunk for that place, not a refusal case.
      const contiguous = lines.filter((l) => l[0] !== '+').map((l) => ({ text: l.slice(1), gapBefore: 0 as const }));
      if (countAlignments(b.before.split('\n'), contiguous, 1) > 0) return null;
      return refuse(
        b,
        'context_missing_at_insertion',
        diff(
          b,
          b.hunks.map((x, i) => (i === hi ? { ...x, lines } : x)),
          { numbers: 'none' },
        ),
      );
    },
  },
  elided_ambiguous: {
    recoverable: false,
    context: 6,
    make: (b, rng) => {
      const e = elided(b, rng);
      if (!e) return null;
      // A second copy of the region the hunk covers, far below: both fit.
      const hi = e.hunks.findIndex((h, i) => h !== b.hunks[i]);
      const hunk = b.hunks[hi]!;
      const region = lines(b).slice(hunk.oldStart - 1, hunk.oldStart - 1 + hunk.oldLines);
      const dupBase: Base = { ...b, before: [...lines(b), '', ...region, ''].join('\n') };
      if (countAlignments(dupBase.before.split('\n'), e.items) < 2) return null;
      return refuse(dupBase, 'elided_ambiguous', diff(b, e.hunks, { numbers: 'none' }), files(dupBase));
    },
  },
  ambiguous_path: {
    recoverable: false,
    make: (b) => {
      const parts = b.file.path.split('/');
      if (parts.length < 2) return null;
      const copy = ['vendor-copy', ...parts.slice(1)].join('/');
      const rest = parts.slice(1).join('/');
      const fileSet = files(b, { [copy]: b.crlf ? toCrlf(b.before) : b.before });
      return refuse(b, 'ambiguous_path', render(b.hunks, { oldPath: rest, newPath: rest }), fileSet);
    },
  },
  stale_removed_line_with_drift: {
    recoverable: false,
    make: (b, rng) => {
      if (!indented(b)) return null;
      const hi = b.hunks.findIndex((h) => h.lines.some((l) => l[0] === '-' && l.trim().length > 3));
      if (hi === -1) return null;
      const stale = b.hunks.map((h, i) => {
        if (i !== hi) return h;
        const li = h.lines.findIndex((l) => l[0] === '-' && l.trim().length > 3);
        return { ...h, lines: h.lines.map((l, j) => (j === li ? `-${l.slice(1).replace(/\w+/, 'formerName')} // old` : l)) };
      });
      return refuse(b, 'stale_removed_line_with_drift', diff(b, driftStyle(stale, rng.pick(restylesFor(b.unit)), false)));
    },
  },
};

export function makeGeneralCases(corpus: readonly GeneralFile[], rng: Rng, perRecoverable: number, perRefusal: number): Case[] {
  const cases: Case[] = [];
  for (const [, cat] of Object.entries(GENERAL_CATEGORIES)) {
    const want = cat.recoverable ? perRecoverable : perRefusal;
    let made = 0;
    for (let tries = 0; made < want && tries < want * 12; tries++) {
      const b = base(corpus[tries % corpus.length]!, corpus, rng, cat.context ?? 3);
      const c = b && cat.make(b, rng);
      if (c) {
        cases.push(c);
        made++;
      }
    }
  }
  return cases;
}
