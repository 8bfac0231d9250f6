/**
 * Redis key layout for tasks. Every key of one user shares the hash tag `{u:<uid>}`, so each
 * per-user script below touches one Redis Cluster slot. The few keys that span users (the
 * live-task index the reaper walks) have their own tag and are only ever written alone.
 */
export function userKeyPrefix(prefix: string, uid: string): string {
  return `${prefix}:{u:${uid}}`;
}

export function taskKeys(prefix: string, uid: string, taskId = '') {
  const user = userKeyPrefix(prefix, uid);
  const task = `${user}:task:${taskId}`;
  return {
    /** The task as the API shows it (no input files): JSON. */
    record: task,
    /** The input files, apart from the record so they can expire sooner. */
    input: `${task}:input`,
    events: `${task}:events`,
    /** Present while a creation's follow-up writes (queue job, audit entry) are not all done. */
    pending: `${task}:pending`,
    /** The user's tasks by creation time. */
    index: `${user}:tasks`,
    /** The user's tasks that have not ended, by creation time: the in-flight cap counts it. */
    inflight: `${user}:inflight`,
    /** Token bucket for task creation. */
    rate: `${user}:rate:tasks`,
    /** Open event streams of the user, by expiry time. */
    streams: `${user}:streams`,
    /** `~` marks "no key": Idempotency-Key never contains it. */
    idempotency: (key: string | undefined) => `${user}:idem:${key ?? '~'}`,
  };
}

export function globalTaskKeys(prefix: string) {
  return {
    /** Every task that has not ended, as `<taskId>:<uid>` by creation time: what the reaper walks. */
    live: `${prefix}:{tasks}:live`,
    /** Counters of tasks the reaper ended, by reason. */
    reaped: `${prefix}:{tasks}:reaped`,
    reaperLease: `${prefix}:{tasks}:reaper`,
    /** Pub/sub channel: one message per appended task event, `<uid>\n<taskId>`. */
    channel: `${prefix}:task-events`,
  };
}

/** The live index stores `<taskId>:<uid>`: task ids are UUIDs (no colon), uids may hold anything. */
export function liveMember(uid: string, taskId: string): string {
  return `${taskId}:${uid}`;
}

export function parseLiveMember(member: string): { uid: string; taskId: string } {
  const at = member.indexOf(':');
  return { taskId: member.slice(0, at), uid: member.slice(at + 1) };
}

/** Orders Redis stream ids (`<ms>-<seq>`) numerically. */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}
