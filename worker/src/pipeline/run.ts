import { NO_MODEL_HELP, type TaskEvent, type TaskRecord } from '@patchpad/shared';
import type { GatewayClient } from '../gateway-client';
import type { Logger } from 'pino';
import { TaskCancelled, TaskFailure } from '../errors';
import { checkPatch } from './check-step';
import { buildPrompt, buildRepairMessage, buildTypeRepairMessage, modeExpectsDiff } from './prompt';
import { DEFAULT_LIMITS, type ModelLimits } from './context';
import { TextThrottle } from './throttle';
import { formatTypeErrors } from './typecheck';
import { defaultTypeChecker, type TypeCheckService } from './typecheck-pool';
import { validateAnswer } from './validate';
import { PhaseClock } from './phases';

export type RunDeps = {
  gateway: GatewayClient;
  /** Appends an event to the task's stream (progress, streamed tokens). */
  emit: (event: TaskEvent) => Promise<unknown>;
  defaultModel: string | null;
  maxRepairs: number;
  log: Logger;
  /** Type-checks patched projects; the process-wide warm checker when not given. */
  typecheck?: TypeCheckService;
  /** The model's context window and answer limit, as the gateway lists them (null: unknown). */
  modelLimits?: (model: string) => Promise<ModelLimits | null>;
};

/**
 * One task from prompt to validated diff: build the prompt, stream the model's answer,
 * validate the diff against the input files, type-check the patched project, and on
 * conflicts or new type errors ask the model to repair it (up to `maxRepairs` times). Every
 * step is announced on the task's event stream.
 */
export async function runTask(record: TaskRecord, deps: RunDeps, signal: AbortSignal, clock = new PhaseClock()): Promise<TaskRecord> {
  const started = Date.now();
  const metrics = { ...record.metrics };
  // Progress events are not waited for: they go out in order on one connection, ahead of the
  // final write, and a lost one costs the user a progress line, not the task.
  const emit = (event: TaskEvent) => void deps.emit(event).catch((err: unknown) => deps.log.warn({ err, event: event.type }, 'task event lost'));
  const model = record.input.model ?? deps.defaultModel;
  if (!model) throw new TaskFailure('no_model_configured', NO_MODEL_HELP, false);
  metrics.model = model;

  emit({ type: 'progress', phase: 'building_prompt' });
  const limits = (await deps.modelLimits?.(model).catch(() => null)) ?? DEFAULT_LIMITS;
  const { messages, context } = buildPrompt(record.input, limits, 1 + deps.maxRepairs);
  metrics.context = context;
  if (context.omitted.length + context.truncated.length > 0) deps.log.info({ context }, 'files left out to fit the context window');
  clock.lap('prompt');
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw new TaskCancelled();
    emit({ type: 'progress', phase: attempt === 1 ? 'calling_model' : 'repairing', attempt });
    const throttle = new TextThrottle((text) => emit({ type: 'token', text }));
    const answer = await deps.gateway
      .chat({ model, messages, user: record.uid, taskId: record.id }, (t) => throttle.push(t), signal)
      .finally(() => throttle.flush());
    clock.lap('model');
    metrics.attempts = attempt;
    if (answer.model) metrics.model = answer.model;
    if (answer.provider) metrics.provider = answer.provider;
    metrics.tokensIn += answer.tokensIn;
    metrics.tokensOut += answer.tokensOut;
    metrics.phases = clock.phases;
    if (!modeExpectsDiff(record.input.mode)) {
      return finish(record, { filesModified: [], explanation: answer.text.trim() }, metrics, started);
    }
    emit({ type: 'progress', phase: 'validating', attempt });
    const validation = validateAnswer(record.input, answer.text);
    clock.lap('validate');
    if (validation.ok) {
      // Check before review: new type errors go back to the model while repairs are left.
      const check = await checkPatch(deps.typecheck ?? defaultTypeChecker(), record, validation, deps.log);
      clock.lap('check');
      if (check.status !== 'new_errors' || attempt > deps.maxRepairs) {
        return finish(record, { filesModified: validation.filesModified, explanation: validation.explanation, check }, metrics, started);
      }
      messages.push({ role: 'assistant', content: answer.text }, buildTypeRepairMessage(formatTypeErrors(check.errors)));
      continue;
    }
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
