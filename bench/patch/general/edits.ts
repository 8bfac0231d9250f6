import type { Rng } from '../rng.js';

/**
 * Edits for the generalisation set, unlike the tuning set's: they add nested blocks (lines at
 * two or three indentation levels, in the file's own unit), wrap statements, and in JSX add
 * elements, so that added lines carry indentation worth getting right.
 */

export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** The file's indentation unit: a tab, or the commonest step between space indents (2 or 4). */
export function indentUnit(lines: readonly string[]): string {
  if (lines.filter((l) => l.startsWith('\t')).length > lines.filter((l) => l.startsWith('  ')).length) return '\t';
  const steps = new Map<number, number>();
  let prev = 0;
  for (const l of lines) {
    if (l.trim() === '') continue;
    const w = indentOf(l).length;
    const d = Math.abs(w - prev);
    if (d === 2 || d === 4) steps.set(d, (steps.get(d) ?? 0) + 1);
    prev = w;
  }
  return ' '.repeat((steps.get(4) ?? 0) > (steps.get(2) ?? 0) ? 4 : 2);
}

const WORDS = ['ready', 'enabled', 'value', 'options', 'result', 'state'];

function statement(line: string): boolean {
  const t = line.trim();
  return t.length > 8 && /;$/.test(t) && !t.startsWith('//') && !t.startsWith('*') && !t.startsWith('}') && !/^(case|default)\b/.test(t);
}

function tweak(line: string, rng: Rng): string {
  const words = [...line.matchAll(/[A-Za-z_]\w{3,}/g)];
  if (words.length === 0) return `${line} // reviewed`;
  const w = rng.pick(words);
  return line.slice(0, w.index) + `${w[0]}${rng.pick(['Next', 'Safe', 'Local'])}` + line.slice(w.index! + w[0].length);
}

type Site = { at: number; del: number; ins: string[] };

function jsxSite(lines: string[], at: number, unit: string, rng: Rng): Site | null {
  const line = lines[at]!;
  if (!/^\s*<[A-Za-z]/.test(line) || /\/>\s*$/.test(line)) return null;
  const i = indentOf(line) + unit;
  const tag = rng.pick(['p', 'span', 'small']);
  return { at: at + 1, del: 0, ins: [`${i}<${tag} className="hint">`, `${i}${unit}{${rng.pick(WORDS)}}`, `${i}</${tag}>`] };
}

function makeSite(lines: string[], at: number, unit: string, jsx: boolean, rng: Rng): Site | null {
  const line = lines[at]!;
  const i = indentOf(line);
  if (jsx && rng.chance(0.5)) {
    const site = jsxSite(lines, at, unit, rng);
    if (site) return site;
  }
  switch (rng.int(0, 5)) {
    case 0:
      return statement(line) ? { at, del: 1, ins: [`${i}if (${rng.pick(WORDS)}) {`, `${i}${unit}${line.trim()}`, `${i}}`] } : null;
    case 1: {
      const w = rng.pick(WORDS);
      return statement(line) ? { at: at + 1, del: 0, ins: [`${i}if (!${w}) {`, `${i}${unit}throw new Error('${w} is missing');`, `${i}}`] } : null;
    }
    case 2:
      return { at, del: 1, ins: [tweak(line, rng)] };
    case 3:
      return statement(line) ? { at: at + 1, del: 0, ins: [`${i}const ${rng.pick(WORDS)}Copy = ${rng.pick(WORDS)};`] } : null;
    case 4:
      return { at, del: rng.int(1, 2), ins: [] };
    default:
      return statement(line)
        ? { at, del: 1, ins: [`${i}try {`, `${i}${unit}${line.trim()}`, `${i}} catch (err) {`, `${i}${unit}report(err);`, `${i}}`] }
        : null;
  }
}

/** 1-3 edit sites, spread out. Works on LF text; returns LF text. */
export function editGeneral(text: string, jsx: boolean, rng: Rng): string {
  const lines = text.split('\n');
  const unit = indentUnit(lines);
  const n = lines.length;
  const want = rng.int(1, 3);
  const sites: Site[] = [];
  for (let tries = 0; sites.length < want && tries < 80; tries++) {
    const at = rng.int(4, n - 8);
    if (lines[at]!.trim() === '' || sites.some((s) => Math.abs(s.at - at) < 14)) continue;
    const site = makeSite(lines, at, unit, jsx, rng);
    if (site) sites.push(site);
  }
  sites.sort((a, b) => b.at - a.at);
  for (const s of sites) lines.splice(s.at, s.del, ...s.ins);
  return lines.join('\n');
}
