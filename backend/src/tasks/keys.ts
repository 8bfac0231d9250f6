/**
 * Redis key layout for tasks. Every key of one user shares the hash tag `{u:<uid>}` so the
 * multi-key script below stays on one Redis Cluster slot.
 */
export function taskKeys(prefix: string, uid: string, taskId?: string) {
  const user = `${prefix}:{u:${uid}}`;
  return {
    record: `${user}:task:${taskId}`,
    events: `${user}:task:${taskId}:events`,
    index: `${user}:tasks`,
    idempotency: (key: string) => `${user}:idem:${key}`,
  };
}
