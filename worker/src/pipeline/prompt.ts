import type { ChatMessage, TaskInput, TaskMode } from '@patchpad/shared';

/** How much file text one prompt may carry; the rest is listed by name only. */
export const CONTEXT_BUDGET_CHARS = 160_000;

const DIFF_RULES = `Answer with a short explanation (a few sentences), then exactly one unified diff in a \`\`\`diff fenced block that changes the project's files.
Diff rules:
- One "--- a/<path>" and "+++ b/<path>" header pair per file, using the project paths exactly as given.
- New file: "--- /dev/null" and "+++ b/<path>". Deleted file: "--- a/<path>" and "+++ /dev/null".
- Hunks start with "@@ -<old start>,<old count> +<new start>,<new count> @@" and keep 3 lines of unchanged context around each change, copied exactly from the file.
- Change only what the request needs; keep the file's style and indentation.`;

const MODE_INSTRUCTIONS: Record<TaskMode, string> = {
  patch: `Make the change the user asks for. ${DIFF_RULES}`,
  lint_fix: `Fix the lint and type errors in the code the user points at without changing behaviour. ${DIFF_RULES}`,
  generate_test: `Write focused tests for the code the user points at, in a new test file beside it (e.g. Foo.test.tsx for Foo.tsx) using vitest and @testing-library/react where UI is involved. ${DIFF_RULES}`,
  explain: 'Explain the code the user points at: what it does, how, and anything surprising. Answer in Markdown. Do not propose a diff.',
};

export function modeExpectsDiff(mode: TaskMode): boolean {
  return mode !== 'explain';
}

/** Orders files for the context window: the active file, then the smallest others first. */
function orderFiles(input: TaskInput): string[] {
  const paths = Object.keys(input.files);
  const active = input.selection?.path ?? input.cursor?.path ?? input.activePath;
  const rest = paths.filter((p) => p !== active).sort((a, b) => input.files[a]!.length - input.files[b]!.length || a.localeCompare(b));
  return active && paths.includes(active) ? [active, ...rest] : rest;
}

function fence(content: string): string {
  // A fence longer than any backtick run inside the file, so file text cannot close it.
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

export function buildMessages(input: TaskInput, budget = CONTEXT_BUDGET_CHARS): ChatMessage[] {
  const system = `You are Patchpad's coding assistant, working on a React + TypeScript project that runs in a browser preview.\n${MODE_INSTRUCTIONS[input.mode]}`;
  const included: string[] = [];
  const omitted: string[] = [];
  let used = 0;
  for (const path of orderFiles(input)) {
    const content = input.files[path]!;
    if (used + content.length > budget && included.length > 0) {
      omitted.push(path);
      continue;
    }
    used += content.length;
    const f = fence(content);
    included.push(`File: ${path}\n${f}\n${content}${content.endsWith('\n') ? '' : '\n'}${f}`);
  }
  const parts = [`Project files:\n\n${included.join('\n\n')}`];
  if (omitted.length > 0) parts.push(`Other files in the project (not shown): ${omitted.join(', ')}`);
  if (input.selection) {
    const s = input.selection;
    parts.push(`The user selected lines ${s.startLine}-${s.endLine} of ${s.path}:\n${fence(s.text)}\n${s.text}\n${fence(s.text)}`);
  } else if (input.cursor) {
    parts.push(`The cursor is at line ${input.cursor.line}, column ${input.cursor.column} of ${input.cursor.path}.`);
  }
  parts.push(`Request: ${input.prompt}`);
  return [
    { role: 'system', content: system },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/** The follow-up that asks the model to fix a diff that did not apply, quoting why. */
export function buildRepairMessage(problems: string[]): ChatMessage {
  return {
    role: 'user',
    content: `Your diff could not be applied to the files as given:\n${problems.map((p) => `- ${p}`).join('\n')}\n\nReply with a corrected, complete unified diff (all files, all hunks) in one \`\`\`diff block. Copy context and removed lines exactly from the files shown above.`,
  };
}

/** The follow-up for a diff that applies but breaks the project's types, quoting the compiler. */
export function buildTypeRepairMessage(errors: string[]): ChatMessage {
  return {
    role: 'user',
    content: `Your diff applies, but the project no longer type-checks. The TypeScript compiler reports these new errors in the patched files:\n${errors.map((e) => `- ${e}`).join('\n')}\n\nReply with a corrected, complete unified diff (all files, all hunks) against the files as given above, in one \`\`\`diff block.`,
  };
}
