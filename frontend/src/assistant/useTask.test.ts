import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '@patchpad/shared';
import { reduceTaskEvent, type TaskState } from './useTask';

const start: TaskState = { taskId: 't', status: 'queued', phase: null, attempt: 0, text: '', result: null, metrics: null, error: null };

describe('reduceTaskEvent', () => {
  it('accumulates streamed text and restarts it for a repair round', () => {
    const events: TaskEvent[] = [
      { type: 'status', status: 'processing' },
      { type: 'progress', phase: 'calling_model', attempt: 1 },
      { type: 'token', text: 'bad ' },
      { type: 'token', text: 'diff' },
      { type: 'progress', phase: 'validating', attempt: 1 },
    ];
    const mid = events.reduce(reduceTaskEvent, start);
    expect(mid).toMatchObject({ status: 'processing', phase: 'validating', text: 'bad diff' });
    const repaired = [{ type: 'progress', phase: 'repairing', attempt: 2 } as const, { type: 'token', text: 'good' } as const].reduce(reduceTaskEvent, mid);
    expect(repaired).toMatchObject({ phase: 'repairing', attempt: 2, text: 'good' });
  });

  it('keeps the result and the error', () => {
    const done = reduceTaskEvent(start, {
      type: 'result',
      result: { filesModified: [], explanation: 'x' },
      metrics: { tokensIn: 1, tokensOut: 2, attempts: 1 },
    });
    expect(done.result?.explanation).toBe('x');
    expect(reduceTaskEvent(start, { type: 'error', error: { code: 'c', message: 'm' } }).error).toEqual({ code: 'c', message: 'm' });
  });
});
