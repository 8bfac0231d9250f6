import { useCallback, useRef, useState } from 'react';
import type { CreateTaskBody, ProgressPhase, TaskError, TaskEvent, TaskMetrics, TaskResult, TaskStatus } from '@patchpad/shared';
import type { Api } from '../api/client';
import { followTask } from '../api/events';
import { submitTask } from '../api/tasks';

export type TaskState = {
  taskId: string | null;
  status: TaskStatus | 'idle' | 'submitting';
  phase: ProgressPhase | null;
  attempt: number;
  text: string;
  result: TaskResult | null;
  metrics: TaskMetrics | null;
  error: TaskError | null;
};

const IDLE: TaskState = { taskId: null, status: 'idle', phase: null, attempt: 0, text: '', result: null, metrics: null, error: null };

export function reduceTaskEvent(state: TaskState, event: TaskEvent): TaskState {
  switch (event.type) {
    case 'status':
      return { ...state, status: event.status };
    case 'progress':
      // A repair round streams a fresh answer.
      return { ...state, phase: event.phase, attempt: event.attempt ?? state.attempt, text: event.phase === 'repairing' ? '' : state.text };
    case 'token':
      return { ...state, text: state.text + event.text };
    case 'result':
      return { ...state, result: event.result, metrics: event.metrics };
    case 'error':
      return { ...state, error: event.error };
  }
}

/** Submits a task and follows its streamed events; `cancel` stops it server-side too. */
export function useTask(api: Api) {
  const [state, setState] = useState<TaskState>(IDLE);
  const abortRef = useRef<AbortController | null>(null);

  const submit = useCallback(
    async (body: CreateTaskBody) => {
      abortRef.current?.abort();
      const abort = new AbortController();
      abortRef.current = abort;
      setState({ ...IDLE, status: 'submitting' });
      try {
        const task = await submitTask(api, body, abort.signal);
        setState((s) => ({ ...s, taskId: task.id, status: task.status }));
        await followTask(api, task.id, (event) => setState((s) => reduceTaskEvent(s, event)), abort.signal);
      } catch (err) {
        if (abort.signal.aborted) return;
        setState((s) => ({ ...s, status: 'failed', error: { code: (err as { code?: string }).code ?? 'request_failed', message: (err as Error).message } }));
      }
    },
    [api],
  );

  const cancel = useCallback(async () => {
    const id = state.taskId;
    abortRef.current?.abort();
    if (id) await api.post(`/api/agent/tasks/${id}/cancel`, {}).catch(() => undefined);
    setState((s) => ({ ...s, status: 'cancelled' }));
  }, [api, state.taskId]);

  const reset = useCallback(() => setState(IDLE), []);
  return { state, submit, cancel, reset };
}
