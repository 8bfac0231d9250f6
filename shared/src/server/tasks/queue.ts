import { Queue, type ConnectionOptions } from 'bullmq';
import { AGENT_TASK_QUEUE, type AgentJob } from '../../index';

/**
 * BullMQ keeps its keys under `<prefix>:{bull}`, apart from ours. The hash tag puts every key
 * of the queue on one Redis Cluster slot, which is how BullMQ runs on a cluster.
 */
export function bullPrefix(prefix: string): string {
  return `${prefix}:{bull}`;
}

/** How a task's job is retried and kept; the worker's stall settings complete it. */
export const TASK_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 24 * 3600 },
} as const;

/** What the reaper needs to know of a task's job. */
export type JobState =
  { state: 'missing' } | { state: 'waiting' | 'active' | 'delayed' | 'completed' | 'prioritized' | 'waiting-children' } | { state: 'failed'; reason: string };

export type TaskQueue = {
  enqueue(job: AgentJob): Promise<void>;
  remove(taskId: string): Promise<void>;
  jobState(taskId: string): Promise<JobState>;
  waitingCount(): Promise<number>;
  counts(): Promise<{ waiting: number; active: number; delayed: number; failed: number }>;
  close(): Promise<void>;
};

/**
 * `onError` takes the errors BullMQ re-emits on the queue, each connection error among them:
 * with no listener it prints every one raw to stderr (seen while Redis was down), apart from
 * the structured log where the connection's watch already reports the outage once.
 */
export function createTaskQueue(connection: ConnectionOptions, prefix: string, onError: (err: Error) => void): TaskQueue {
  const queue = new Queue<AgentJob>(AGENT_TASK_QUEUE, { connection, prefix: bullPrefix(prefix) });
  queue.on('error', onError);
  return {
    async enqueue(job) {
      // jobId = taskId: enqueueing the same task again (a retried creation) is a no-op.
      await queue.add('agent-task', job, { jobId: job.taskId, ...TASK_JOB_OPTIONS });
    },
    async remove(taskId) {
      const job = await queue.getJob(taskId);
      // A job a worker holds is locked; the worker sees the cancelled record instead.
      if (job && (await job.isWaiting().catch(() => false))) await job.remove().catch(() => undefined);
    },
    async jobState(taskId) {
      const job = await queue.getJob(taskId);
      if (!job) return { state: 'missing' };
      const state = await job.getState();
      if (state === 'failed') return { state, reason: job.failedReason ?? 'the job failed' };
      if (state === 'unknown') return { state: 'missing' };
      return { state };
    },
    waitingCount: () => queue.getWaitingCount(),
    async counts() {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
    },
    close: () => queue.close(),
  };
}
