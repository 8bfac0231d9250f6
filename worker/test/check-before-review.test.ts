import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseParser, taskResultSchema, type TaskEvent } from '@patchpad/shared';
import type { FakeReply, FakeRequest } from '../../test-support/fake-openai';
import { emulatorUser } from '../../test-support/emulator-users';
import { authed, type TestApi } from '../../backend/test/support';
import { startPipeline } from './support';

/**
 * Check before review, end to end: API → BullMQ → worker → (scripted) model → patch →
 * type-check → repair round with the compiler's message → result that records the check.
 */

const COUNTER = `type CounterProps = { start: number };

export function Counter({ start }: CounterProps) {
  return <button>{start}</button>;
}
`;
const APP = `import { Counter } from './Counter';

export default function App() {
  return <Counter start={0} />;
}
`;
const answer = (from: string, to: string) => `Done.

\`\`\`diff
--- a/src/App.tsx
+++ b/src/App.tsx
@@ -3,3 +3,3 @@
 export default function App() {
-  return <Counter start={${from}} />;
+  return <Counter start={${to}} />;
 }
\`\`\`
`;
const BREAKS_TYPE = answer('0', '"ten"');
const FIXED = answer('0', '10');

describe('check before review', () => {
  let api: TestApi;
  let token: string;
  let script: (req: FakeRequest, i: number) => FakeReply = () => FIXED;
  let upstream: Awaited<ReturnType<typeof startPipeline>>['upstream'];
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ api, upstream, close } = await startPipeline((req, i) => script(req, i)));
    token = (await emulatorUser()).idToken;
  });
  afterAll(() => close());

  /** Creates a task and reads its event stream to the end; returns the events and the upstream requests it caused. */
  const run = async (files: Record<string, string>) => {
    const first = upstream.requests.length;
    const res = await fetch(`${api.url}/api/agent/tasks`, { method: 'POST', headers: authed(token), body: JSON.stringify({ prompt: 'start at ten', files }) });
    expect(res.status).toBe(202);
    const { task } = (await res.json()) as { task: { id: string } };
    const stream = await fetch(`${api.url}/api/agent/tasks/${task.id}/events`, { headers: authed(token) });
    const events: TaskEvent[] = [];
    new SseParser((m) => events.push(JSON.parse(m.data) as TaskEvent)).push(await stream.text());
    return { events, requests: upstream.requests.slice(first) };
  };
  const resultOf = (events: TaskEvent[]) => (events.find((e) => e.type === 'result') as Extract<TaskEvent, { type: 'result' }>).result;

  it("sends a patch that breaks a type back with the compiler's message, and records the fixed patch as type-checked", async () => {
    script = (req) => (req.messages.length > 2 ? FIXED : BREAKS_TYPE);
    const { events, requests } = await run({ 'src/App.tsx': APP, 'src/Counter.tsx': COUNTER });
    expect(events.at(-1)).toEqual({ type: 'status', status: 'done' });
    expect(requests).toHaveLength(2);
    const repair = requests[1]!.messages.at(-1)!.content;
    expect(repair).toMatch(/no longer type-checks/);
    expect(repair).toMatch(/src\/App\.tsx:4:\d+ error TS2322: Type 'string' is not assignable to type 'number'/);
    const result = resultOf(events);
    expect(taskResultSchema.parse(result)).toEqual(result);
    expect(result.check).toMatchObject({ status: 'passed', errors: [] });
    expect(result.filesModified[0]!.patch).toContain('+  return <Counter start={10} />;');
    expect(result.filesModified[0]!.hunks).toEqual([expect.objectContaining({ hunkIndex: 0, strategy: 'exact', fuzz: 0 })]);
  });

  it('counts only errors the patch introduced: a project broken before is not sent back', async () => {
    script = () => FIXED;
    const broken = { 'src/App.tsx': APP, 'src/Counter.tsx': COUNTER, 'src/legacy.ts': 'export const total: number = "zero";\n' };
    const { events, requests } = await run(broken);
    expect(requests).toHaveLength(1);
    expect(resultOf(events).check).toMatchObject({ status: 'passed', errors: [] });
  });

  it('keeps the new errors on the result when the repair still breaks types, for the review to show', async () => {
    script = () => BREAKS_TYPE;
    const { events, requests } = await run({ 'src/App.tsx': APP, 'src/Counter.tsx': COUNTER });
    expect(requests).toHaveLength(2);
    expect(events.at(-1)).toEqual({ type: 'status', status: 'done' });
    const check = resultOf(events).check!;
    expect(check.status).toBe('new_errors');
    expect(check.errors).toEqual([expect.objectContaining({ path: 'src/App.tsx', line: 4, code: 2322 })]);
  });
});
