/** The points between the writes of a task creation, in order. */
export type CreationStep = 'marked_live' | 'created' | 'enqueued' | 'audited';

/**
 * Called at each step of a creation. Production has none. Tests use it to stop a creation
 * exactly there: a hook that never returns freezes the request as a dead process would leave
 * it, one that kills Redis shows what an outage there does.
 */
export type FaultHook = (step: CreationStep) => void | Promise<void>;

/**
 * PATCHPAD_TEST_CRASH_AT=<step> makes the API process SIGKILL itself at that step, so a test
 * can kill a real process between two writes. Honoured only with NODE_ENV=test.
 */
export function crashHookFromEnv(env: Record<string, string | undefined>): FaultHook | undefined {
  const at = env.PATCHPAD_TEST_CRASH_AT;
  if (!at || env.NODE_ENV !== 'test') return undefined;
  return (step) => {
    if (step === at) process.kill(process.pid, 'SIGKILL');
  };
}
