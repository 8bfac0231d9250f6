import type { ChatMessage, ContextReport, TaskInput, TaskMode } from '@patchpad/shared';
import { countMessageTokens, countTokens } from '@patchpad/shared/tokens';
import { DEFAULT_LIMITS, fileBudget, fitFiles, type ModelLimits } from './context';

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

function fence(content: string): string {
  // A fence longer than any backtick run inside the file, so file text cannot close it.
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/**
 * Each mode's system prompt, and its token count. The text is the same on every task of a
 * mode; counting it anew was most of a small task's tokenizer time (0.45 of the worker's ~3 ms
 * of CPU per task), so it is counted once.
 */
const systemPrompts = new Map<TaskMode, { text: string; tokens: number }>();
function systemPrompt(mode: TaskMode): { text: string; tokens: number } {
  let prompt = systemPrompts.get(mode);
  if (!prompt) {
    const text = `You are Patchpad's coding assistant, working on a React + TypeScript project that runs in a browser preview.\n${MODE_INSTRUCTIONS[mode]}`;
    systemPrompts.set(mode, (prompt = { text, tokens: countTokens(text) }));
  }
  return prompt;
}

/**
 * The task's prompt, fitted to the model's context window by token count: the focused file
 * and the selection first, then the files it imports, then the rest; what does not fit is cut
 * with markers or listed by name, and the report says which files.
 */
export function buildPrompt(input: TaskInput, limits: ModelLimits = DEFAULT_LIMITS, calls = 2): { messages: ChatMessage[]; context: ContextReport } {
  const system = systemPrompt(input.mode);
  const tail: string[] = [];
  if (input.selection) {
    const s = input.selection;
    tail.push(`The user selected lines ${s.startLine}-${s.endLine} of ${s.path}:\n${fence(s.text)}\n${s.text}\n${fence(s.text)}`);
  } else if (input.cursor) {
    tail.push(`The cursor is at line ${input.cursor.line}, column ${input.cursor.column} of ${input.cursor.path}.`);
  }
  tail.push(`Request: ${input.prompt}`);
  // Everything but the files, plus room for the list of files left out.
  const names = Object.keys(input.files).join(', ');
  const overhead = countMessageTokens([
    { role: 'system', content: system.text, tokens: system.tokens },
    { role: 'user', content: `Project files:\n\nOther files in the project (not shown): ${names}\n\n${tail.join('\n\n')}` },
  ]);
  const fitted = fitFiles(input, fileBudget(limits, overhead, calls));
  const shown = fitted.files.map(({ path, text, truncated }) => {
    const f = fence(text);
    return `File: ${path}${truncated ? ' (shortened: "…" lines mark what was left out)' : ''}\n${f}\n${text}${text.endsWith('\n') ? '' : '\n'}${f}`;
  });
  const parts = [`Project files:\n\n${shown.join('\n\n')}`];
  if (fitted.report.omitted.length > 0) parts.push(`Other files in the project (not shown): ${fitted.report.omitted.join(', ')}`);
  parts.push(...tail);
  return {
    messages: [
      { role: 'system', content: system.text },
      { role: 'user', content: parts.join('\n\n') },
    ],
    context: fitted.report,
  };
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
