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

/** A user's account and quota counters: on the user's slot, so task scripts can use them. */
export function quotaKeys(prefix: string, uid: string) {
  const user = userKeyPrefix(prefix, uid);
  return {
    /** Hash: plan, admin overrides, disabled flag, last activity. */
    account: `${user}:account`,
    /** Tasks created on a UTC day (`YYYYMMDD`). */
    day: (day: string) => `${user}:quota:day:${day}`,
    /** Hash {used, reserved}: model tokens of tasks created in a UTC month (`YYYYMM`). */
    month: (month: string) => `${user}:quota:month:${month}`,
    /** Hash taskId → "<tokens still reserved>:<tokens consumed>" for tasks that have not ended. */
    reservations: `${user}:quota:tasks`,
  };
}

/** The UTC periods quotas count in, and when each resets. */
export function quotaPeriods(now: Date) {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    day: `${y}${pad(m + 1)}${pad(d)}`,
    month: `${y}${pad(m + 1)}`,
    dayResetsAt: new Date(Date.UTC(y, m, d + 1)),
    monthResetsAt: new Date(Date.UTC(y, m + 1, 1)),
  };
}
