import { afterAll, describe, expect, it } from 'vitest';
import { STARTER_FILES } from '@patchpad/shared';
import { TypeChecker } from './typecheck';
import { inThread, ThreadedTypeChecker } from './typecheck-pool';

const broken = { ...STARTER_FILES, 'src/App.tsx': STARTER_FILES['src/App.tsx']!.replace('<Counter start={0} />', '<Counter start="zero" />') };

describe('type-checking in worker threads', () => {
  const threaded = new ThreadedTypeChecker(1);
  const local = new TypeChecker();
  afterAll(async () => {
    await threaded.close();
    local.dispose();
  });

  it('gives the answer the checker gives in this thread', async () => {
    const request = { projectKey: 'starter', before: STARTER_FILES, after: broken };
    const [there, here] = await Promise.all([threaded.check(request), inThread(local).check(request)]);
    expect({ ...there, ms: 0 }).toEqual({ ...here, ms: 0 });
    expect(there.status).toBe('new_errors');
  });

  it('leaves the event loop free while the compiler works', async () => {
    const order: string[] = [];
    const checking = threaded.check({ projectKey: 'other', before: STARTER_FILES, after: broken }).then(() => order.push('checked'));
    // In this thread the check would run to its end before any timer could fire.
    setTimeout(() => order.push('timer'), 0);
    await checking;
    expect(order).toEqual(['timer', 'checked']);
  });
});
