import { encodeConsoleValue, formatArgs } from './console-encode';
import type { ConsoleEntry, ConsoleMethod } from './protocol';

/**
 * Forwards the preview's console to the IDE's console panel. Entries made in one task
 * travel in one message; ids are unique across reloads (sandpack drops repeated ids).
 */

const HOOKED: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug', 'table', 'clear', 'assert'];

export interface ConsoleHook {
  /** Sends an entry as if the page had logged it (used for runtime errors). */
  emit(method: ConsoleMethod, args: unknown[]): void;
  restore(): void;
}

export function hookConsole(target: Console, send: (log: ConsoleEntry[]) => void): ConsoleHook {
  const prefix = Math.random().toString(36).slice(2, 8);
  let counter = 0;
  let batch: ConsoleEntry[] = [];
  let inside = false;
  const originals = new Map<ConsoleMethod, (...args: unknown[]) => void>();

  const flush = () => {
    const log = batch;
    batch = [];
    if (log.length > 0) send(log);
  };

  const emit = (method: ConsoleMethod, args: unknown[]) => {
    if (inside) return;
    inside = true;
    try {
      const data = method === 'clear' ? ['Console was cleared'] : formatArgs(args).map((arg) => encodeConsoleValue(arg));
      if (batch.length === 0) queueMicrotask(flush);
      batch.push({ method, id: `${prefix}-${++counter}`, data });
    } catch {
      // A value that cannot be encoded is not worth breaking the user's app for.
    } finally {
      inside = false;
    }
  };

  for (const method of HOOKED) {
    const original = (target as unknown as Record<string, (...args: unknown[]) => void>)[method];
    if (typeof original !== 'function') continue;
    originals.set(method, original);
    (target as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      original.apply(target, args);
      if (method === 'assert') {
        if (args[0]) return;
        emit('error', ['Assertion failed:', ...args.slice(1)]);
        return;
      }
      emit(method, args);
    };
  }

  return {
    emit,
    restore() {
      for (const [method, original] of originals) (target as unknown as Record<string, unknown>)[method] = original;
    },
  };
}
