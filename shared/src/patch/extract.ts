/**
 * Finding the diff in a model's answer: fenced blocks (```diff, ```patch, or any fence whose
 * body looks like a diff), else the span of the raw text from the first diff header to the
 * last diff line. Prose around it is dropped.
 */

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})\s*([\w+-]*)[^`\n]*$/;
const DIFF_INFO = /^(diff|patch|udiff|git)$/i;
const HEADER = /^(diff --git |--- |\+\+\+ |@@|Index: )/;

function looksLikeDiff(body: string): boolean {
  const lines = body.split('\n');
  const hunk = lines.some((l) => l.startsWith('@@'));
  const files = lines.some((l) => l.startsWith('--- ')) && lines.some((l) => l.startsWith('+++ '));
  return hunk || files || lines.some((l) => l.startsWith('diff --git '));
}

interface Fence {
  info: string;
  body: string;
}

function fences(lines: readonly string[]): Fence[] {
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]!);
    if (!open) continue;
    // The closing fence must sit where the opening one did: a diff's context line ` ```` (a
    // fence line of the patched file) must not end the block.
    const [, indent, marker] = open as unknown as [string, string, string];
    const closing = new RegExp(`^${indent}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !closing.test(lines[j]!)) j++;
    // A fence indented in a list: its lines carry that indentation too (CommonMark strips it).
    const strip = new RegExp(`^ {0,${indent.length}}`);
    const body = lines.slice(i + 1, j).map((l) => (indent === '' ? l : l.replace(strip, '')));
    out.push({ info: open[3] ?? '', body: body.join('\n') });
    i = j;
  }
  return out;
}

/**
 * Unfenced: everything from the first diff header on. Lines after the last hunk may be
 * context that lost its leading space or prose; the parser tells them apart by the hunk's
 * counts, which this function cannot know.
 */
function rawSpan(lines: readonly string[]): string | null {
  const first = lines.findIndex((l) => HEADER.test(l));
  if (first === -1) return null;
  return lines.slice(first).join('\n');
}

export function extractDiff(answer: string): string | null {
  const lines = answer.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const blocks = fences(lines);
  const tagged = blocks.filter((b) => DIFF_INFO.test(b.info) && looksLikeDiff(b.body));
  const chosen = tagged.length > 0 ? tagged : blocks.filter((b) => looksLikeDiff(b.body));
  // Trailing empty lines stay: one may be a blank context line that lost its leading space
  // (the parser drops those the hunk's counts do not ask for).
  if (chosen.length > 0) return `${chosen.map((b) => b.body).join('\n')}\n`;
  const raw = rawSpan(lines);
  return raw !== null && looksLikeDiff(raw) ? `${raw}\n` : null;
}
