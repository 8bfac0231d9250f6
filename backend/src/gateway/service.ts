import {
  NO_MODEL_HELP,
  planAllows,
  type ChatCompletionRequest,
  type ModelEntry,
  type ModelTestResult,
  type UsageOutcome,
  type UsageRecord,
} from '@patchpad/shared';
import { AppError } from '../http/errors';
import type { Logger } from '../log';
import type { ModelCatalog } from '../models/catalog';
import type { PlanOf } from '../models/plan';
import { costNanoUsd, tokensOf } from '../usage/meter';
import type { UsageStore } from '../usage/store';
import { DispatchError, type DispatchAttempt, type Dispatcher, type OpenAnswer } from './dispatcher';
import type { ProviderEvent } from './providers/types';
import type { CallSignal } from './call-abort';

type Usage = { promptTokens: number; completionTokens: number };

export type CallMeta = { uid: string | null; taskId: string | null; log: Logger };

/** An answer under way: its events, and the bookkeeping to call once it ended. */
export type GatewayCall = {
  entry: ModelEntry;
  /** The answer's next batch of events (those that arrived together: ModelProvider.chat), or null after its end. */
  next(): Promise<ProviderEvent[] | null>;
  /** After the events: the tokenizer's count when the provider reported no usage, else null. */
  missingUsage(): Promise<Usage | null>;
  finish(outcome: UsageOutcome, errorCode?: string): void;
};

/**
 * A call whose answer has started: passes its batches on, keeping the text and usage that
 * booking needs. A class, not closures made per call: an async generator declared inside a
 * function gets a new prototype, so a new hidden class, with every call, and the code
 * iterating it went megamorphic.
 */
class StartedCall implements GatewayCall {
  readonly entry: ModelEntry;
  private text = '';
  private usage: Usage | null = null;
  private started = false;
  private finished = false;

  constructor(
    private readonly open: OpenAnswer,
    private readonly messages: ChatCompletionRequest['messages'],
    private readonly book: (text: string, usage: Usage | null, outcome: UsageOutcome, errorCode?: string) => void,
  ) {
    this.entry = open.entry;
  }

  // A pull method rather than an async generator: the generator's own machinery cost more than
  // the bookkeeping it wrapped, for every batch of every call.
  async next(): Promise<ProviderEvent[] | null> {
    const { open } = this;
    if (!this.started) {
      this.started = true;
      if (open.first.length > 0) {
        this.note(open.first);
        return open.first;
      }
    }
    let step: IteratorResult<ProviderEvent[]>;
    try {
      step = await open.rest.next();
    } catch (err) {
      open.failed(err);
      throw err;
    }
    if (step.done) return null;
    this.note(step.value);
    return step.value;
  }

  async missingUsage(): Promise<Usage | null> {
    if (this.usage) return null;
    const counted = await tokensOf(this.messages, this.text, null);
    return { promptTokens: counted.tokensIn, completionTokens: counted.tokensOut };
  }

  finish(outcome: UsageOutcome, errorCode?: string): void {
    if (this.finished) return;
    this.finished = true;
    if (outcome !== 'ok') void this.open.rest.return?.();
    this.book(this.text, this.usage, outcome, errorCode);
  }

  private note(batch: ProviderEvent[]): void {
    for (const e of batch) {
      if (e.type === 'text') this.text += e.text;
      else this.usage = e;
    }
  }
}

/**
 * The gateway's decisions around one call: which model (and may this user use it), which
 * fallbacks, and what it cost. Transport (HTTP, SSE) stays in routes.ts.
 */
export class GatewayService {
  constructor(
    private readonly deps: {
      catalog: ModelCatalog;
      dispatcher: Dispatcher;
      usage: UsageStore;
      planOf: PlanOf;
      log: Logger;
      /** Counts a task's real spend against its user's quota (QuotaLedger.consume). */
      onSpend?: (uid: string, taskId: string, tokens: number) => Promise<unknown>;
    },
  ) {}

  async start(body: ChatCompletionRequest, meta: CallMeta, signal: CallSignal): Promise<GatewayCall> {
    const started = performance.now();
    const { entry, chain } = await this.route(body.model, meta.uid);
    // One shape for every request (no conditional spreads): the code reading it stays monomorphic.
    const request = { messages: body.messages, temperature: body.temperature, maxTokens: body.max_tokens };
    let open: OpenAnswer;
    try {
      open = await this.deps.dispatcher.open(chain, request, signal);
    } catch (err) {
      if (!(err instanceof DispatchError)) throw err;
      this.book(entry, meta, body, { text: '', usage: null, calls: err.calls, started, outcome: 'error', errorCode: err.code });
      throw new AppError(
        err.status,
        err.code,
        err.message,
        { model: entry.id, provider: entry.provider, attempts: err.attempts },
        err.retryAfterS ? { 'Retry-After': String(err.retryAfterS) } : undefined,
      );
    }
    if (open.entry !== entry) meta.log.info({ requested: entry.id, answering: open.entry.id, attempts: open.attempts }, 'fallback model answers');
    return new StartedCall(open, body.messages, (text, usage, outcome, errorCode) =>
      this.book(open.entry, meta, body, { text, usage, calls: open.calls, started, outcome, errorCode }),
    );
  }

  /** The requested entry, checked against the user's plan, and its usable fallbacks. */
  private async route(modelId: string, uid: string | null): Promise<{ entry: ModelEntry; chain: (ModelEntry | { skip: DispatchAttempt })[] }> {
    const { catalog, planOf } = this.deps;
    const entry = catalog.resolve(modelId);
    // The list of active models is only needed to say why a request cannot be served.
    if (!entry?.active) {
      const active = catalog.active();
      if (active.length === 0) throw new AppError(503, 'no_model_configured', NO_MODEL_HELP);
      const available = active.map((m) => m.id).join(', ');
      if (!entry) throw new AppError(404, 'model_not_found', `Model "${modelId}" is not configured; available: ${available}`);
      throw new AppError(403, 'model_inactive', `Model "${modelId}" is switched off by an administrator; available: ${available}`);
    }
    // No user: a direct call with the operator's own credential (scripts, the admin test), not a user's task.
    const plan = uid ? await planOf(uid) : 'enterprise';
    if (!planAllows(plan, entry.requiredPlan)) {
      throw new AppError(403, 'model_not_allowed', `Model "${modelId}" needs the ${entry.requiredPlan} plan; this user is on the ${plan} plan`, {
        model: modelId,
        requiredPlan: entry.requiredPlan,
        plan,
      });
    }
    const chain: (ModelEntry | { skip: DispatchAttempt })[] = [entry];
    for (const id of entry.fallbacks) {
      const fallback = catalog.resolve(id);
      const why = !fallback
        ? 'is not configured'
        : !fallback.active
          ? 'is switched off'
          : !planAllows(plan, fallback.requiredPlan)
            ? `needs the ${fallback.requiredPlan} plan`
            : null;
      if (why) chain.push({ skip: { model: id, provider: fallback?.provider ?? 'none', reason: `not tried: ${why}`, kind: 'skipped' } });
      else if (!chain.includes(fallback!)) chain.push(fallback!);
    }
    return { entry, chain };
  }

  /** Records the call's usage; never fails the call (a lost record is logged). */
  private book(
    entry: ModelEntry,
    meta: CallMeta,
    body: ChatCompletionRequest,
    call: {
      text: string;
      usage: { promptTokens: number; completionTokens: number } | null;
      calls: number;
      started: number;
      outcome: UsageOutcome;
      errorCode?: string;
    },
  ): void {
    const latencyMs = Math.round((performance.now() - call.started) * 10) / 10;
    const write = (tokens: { tokensIn: number; tokensOut: number; source: 'provider' | 'tokenizer' }) => {
      const spent = tokens.tokensIn + tokens.tokensOut;
      if (meta.uid && meta.taskId && spent > 0 && this.deps.onSpend) {
        this.deps
          .onSpend(meta.uid, meta.taskId, spent)
          .catch((err: Error) => meta.log.error({ err: err.message, taskId: meta.taskId }, 'quota spend not counted'));
      }
      const record: UsageRecord = {
        at: new Date().toISOString(),
        model: entry.id,
        provider: entry.provider,
        uid: meta.uid ?? '_service',
        taskId: meta.taskId,
        tokensIn: tokens.tokensIn,
        tokensOut: tokens.tokensOut,
        tokenSource: tokens.source,
        costNanoUsd: costNanoUsd(entry, tokens.tokensIn, tokens.tokensOut),
        latencyMs,
        outcome: call.outcome,
        attempts: call.calls,
      };
      if (call.errorCode) record.errorCode = call.errorCode;
      this.deps.usage.record(record);
    };
    const answered = call.calls > 0 && (call.text !== '' || call.usage !== null);
    // The common case (the provider reported usage, or nothing was answered) needs no tokenizer.
    if (call.usage || !answered) {
      write(
        call.usage
          ? { tokensIn: call.usage.promptTokens, tokensOut: call.usage.completionTokens, source: 'provider' }
          : { tokensIn: 0, tokensOut: 0, source: 'provider' },
      );
      return;
    }
    tokensOf(body.messages, call.text, null)
      .then(write)
      .catch((err: Error) => meta.log.error({ err: err.message, model: entry.id, uid: meta.uid, taskId: meta.taskId }, 'usage record lost'));
  }

  /** A tiny completion against one entry, no fallbacks, for the admin's test button. */
  async test(entry: ModelEntry, log: Logger): Promise<ModelTestResult> {
    const started = performance.now();
    let firstByteMs: number | null = null;
    const signal = AbortSignal.timeout(30_000);
    try {
      const open = await this.deps.dispatcher.open([entry], { messages: [{ role: 'user', content: 'Reply with the single word OK.' }], maxTokens: 16 }, signal);
      firstByteMs = Math.round(performance.now() - started);
      let text = '';
      const read = (batch: ProviderEvent[]) => {
        for (const e of batch) if (e.type === 'text') text += e.text;
      };
      read(open.first);
      for (let next = await open.rest.next(); !next.done; next = await open.rest.next()) read(next.value);
      return { ok: true, model: entry.id, provider: entry.provider, latencyMs: Math.round(performance.now() - started), firstByteMs, text: text.slice(0, 200) };
    } catch (err) {
      const error =
        err instanceof DispatchError
          ? { code: err.code, message: err.message }
          : { code: signal.aborted ? 'upstream_timeout' : 'internal', message: signal.aborted ? 'no answer within 30 s' : 'the test failed' };
      if (!(err instanceof DispatchError)) log.warn({ err, model: entry.id }, 'model test failed');
      return { ok: false, model: entry.id, provider: entry.provider, latencyMs: Math.round(performance.now() - started), firstByteMs, error };
    }
  }
}
