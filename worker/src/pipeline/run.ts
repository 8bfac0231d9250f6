import { NO_MODEL_HELP, type TaskEvent, type TaskRecord } from '@patchpad/shared';
import type { TaskStore } from '@patchpad/backend/tasks/store';
import type { GatewayClient } from '../gateway-client';
import type { Logger } from 'pino';
import { TaskCancelled, TaskFailure } from '../errors';
import { buildPrompt, buildRepairMessage, modeExpectsDiff } from './prompt';
import { DEFAULT_LIMITS, type ModelLimits } from './context';
import { TextThrottle } from './throttle';
import { validateAnswer } from './validate';

export type RunDeps = {
  store: TaskStore;
  gateway: GatewayClient;
  defaultModel: string | null;
  maxRepairs: number;
  log: Logger;
  /** The model's context window and answer limit, as the gateway lists them (null: unknown). */
  modelLimits?: (model: string) => Promise<ModelLimits | null>;
};

/**
 * One task from prompt to validated diff: build the prompt, stream the model's answer,
 * validate the diff against the input files, and on conflicts ask the model to repair it
 * (up to `maxRepairs` times). Every step is announced on the task's event stream.
 */
export async function runTask(record: TaskRecord, deps: RunDeps, signal: AbortSignal): Promise<TaskRecord> {
  const started = Date.now();
  const metrics = { ...record.metrics };
  const emit = (event: TaskEvent) => deps.store.appendEvent(record.uid, record.id, event);
  const model = record.input.model ?? deps.defaultModel;
  if (!model) throw new TaskFailure('no_model_configured', NO_MODEL_HELP, false);
  metrics.model = model;

  await emit({ type: 'progress', phase: 'building_prompt' });
  const limits = (await deps.modelLimits?.(model).catch(() => null)) ?? DEFAULT_LIMITS;
  const { messages, context } = buildPrompt(record.input, limits, 1 + deps.maxRepairs);
  metrics.context = context;
  if (context.omitted.length + context.truncated.length > 0) deps.log.info({ context }, 'files left out to fit the context window');
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw new TaskCancelled();
    await emit({ type: 'progress', phase: attempt === 1 ? 'calling_model' : 'repairing', attempt });
    const throttle = new TextThrottle((text) => void emit({ type: 'token', text }).catch((err) => deps.log.warn({ err }, 'token event lost')));
    const answer = await deps.gateway
      .chat({ model, messages, user: record.uid, taskId: record.id }, (t) => throttle.push(t), signal)
      .finally(() => throttle.flush());
    metrics.attempts = attempt;
    if (answer.model) metrics.model = answer.model;
    if (answer.provider) metrics.provider = answer.provider;
    metrics.tokensIn += answer.tokensIn;
    metrics.tokensOut += answer.tokensOut;
    if (!modeExpectsDiff(record.input.mode)) {
      return finish(record, { filesModified: [], explanation: answer.text.trim() }, metrics, started);
    }
    await emit({ type: 'progress', phase: 'validating', attempt });
    const validation = validateAnswer(record.input, answer.text);
    if (validation.ok) return finish(record, { filesModified: validation.filesModified, explanation: validation.explanation }, metrics, started);
    deps.log.info({ attempt, problems: validation.problems.length }, 'diff did not apply');
    if (attempt > deps.maxRepairs) {
      throw new TaskFailure('patch_conflict', `The model's diff did not apply after ${attempt} attempt(s):\n${validation.problems.join('\n')}`, false);
    }
    messages.push({ role: 'assistant', content: answer.text }, buildRepairMessage(validation.problems));
  }
}

function finish(record: TaskRecord, result: NonNullable<TaskRecord['result']>, metrics: TaskRecord['metrics'], started: number): TaskRecord {
  return { ...record, status: 'done', result, metrics: { ...metrics, durationMs: Date.now() - started } };
}
