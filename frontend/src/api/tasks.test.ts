import { describe, expect, it } from 'vitest';
import type { CreateTaskBody } from '@patchpad/shared';
import { ApiError, type Api } from './client';
import { submitTask } from './tasks';

const body: CreateTaskBody = { prompt: 'x', mode: 'patch', files: { 'a.ts': '' } };

/** An Api whose post() answers from a script, recording the Idempotency-Key of each try. */
function scripted(answers: (Error | 'ok')[]) {
  const keys: string[] = [];
  const api = {
    async post(_path: string, _body: unknown, headers: Record<string, string>) {
      keys.push(headers['Idempotency-Key']!);
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return { task: { id: 't1' } };
    },
  } as unknown as Api;
  return { api, keys };
}

describe('submitTask', () => {
  it('retries a lost answer with the same Idempotency-Key', async () => {
    const { api, keys } = scripted([new TypeError('fetch failed'), new ApiError(503, 'redis_unavailable', 'down'), 'ok']);
    const task = await submitTask(api, body, new AbortController().signal, { baseMs: 1 });
    expect(task.id).toBe('t1');
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it('does not retry a refusal, and gives up after its tries', async () => {
    const limited = scripted([new ApiError(429, 'rate_limited', 'Too many new tasks')]);
    await expect(submitTask(limited.api, body, new AbortController().signal, { baseMs: 1 })).rejects.toMatchObject({ status: 429 });
    expect(limited.keys).toHaveLength(1);
    const down = scripted(Array.from({ length: 5 }, () => new ApiError(503, 'x', 'down')));
    await expect(submitTask(down.api, body, new AbortController().signal, { baseMs: 1, tries: 3 })).rejects.toMatchObject({ status: 503 });
    expect(down.keys).toHaveLength(3);
  });
});
