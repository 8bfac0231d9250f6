import { cpus } from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export type ConcurrencySample = {
  /** Tasks this process may run at once now. */
  concurrency: number;
  /** Tasks it is running. */
  running: number;
  /** Tasks waiting in the queue for any worker. */
  waiting: number;
  /** Share of the last interval the event loop was busy (0..1): this process's CPU. */
  loopUtilization: number;
};

/**
 * How many tasks one worker process runs at once. A task spends nearly all its time waiting
 * for the model, so a slot costs almost nothing until the process's own CPU (its event loop) is
 * the bottleneck: grow while every slot is busy, work is waiting and the loop has room; shrink
 * when the loop is saturated. Slow models keep slots busy longer, so they get more slots.
 */
export function nextConcurrency(s: ConcurrencySample, limits: { min: number; max: number }): number {
  if (s.loopUtilization > 0.9) return Math.max(limits.min, Math.floor(s.concurrency * 0.75));
  if (s.running >= s.concurrency && s.waiting > 0 && s.loopUtilization < 0.7) return Math.min(limits.max, Math.ceil(s.concurrency * 1.5));
  return s.concurrency;
}

/** Where a process starts before it has measured anything: a few slots per core. */
export function initialConcurrency(max: number, cores = cpus().length): number {
  return Math.max(1, Math.min(max, cores * 4));
}

/** Samples the event loop between calls. */
export function loopMeter(): () => number {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, last);
    last = now;
    return delta.utilization;
  };
}
