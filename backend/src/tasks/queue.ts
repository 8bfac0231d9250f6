import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AGENT_TASK_QUEUE, type AgentJob } from '@patchpad/shared';

/** BullMQ keeps its keys under `<prefix>:bull`, apart from ours. */
export function bullPrefix(prefix: string): string {
  return `${prefix}:bull`;
}

export type TaskQueue = { enqueue(job: AgentJob): Promise<void>; remove(taskId: string): Promise<void>; close(): Promise<void> };

export function createTaskQueue(connection: Redis, prefix: string): TaskQueue {
  const queue = new Queue<AgentJob>(AGENT_TASK_QUEUE, { connection, prefix: bullPrefix(prefix) });
  return {
    async enqueue(job) {
      // jobId = taskId: a duplicate enqueue of the same task is a no-op in BullMQ.
      await queue.add('agent-task', job, {
        jobId: job.taskId,
        attempts: 3,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: { age: 3600, count: 1000 },
        removeOnFail: { age: 24 * 3600 },
      });
    },
    async remove(taskId) {
      const job = await queue.getJob(taskId);
      // A job a worker holds is locked; the worker sees the cancelled record instead.
      if (job && (await job.isWaiting().catch(() => false))) await job.remove().catch(() => undefined);
    },
    close: () => queue.close(),
  };
}
