import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTestServices } from '../../scripts/lib/services';

/**
 * `npm run bench:admin`: with 1,000 users and 100,000 audit entries in Redis (chained by the
 * real integrator), how long each admin page's first data takes through the API, against a
 * trivial signed-in request measured in the same run. Target: every page ≤ 200 ms.
 * Last line: `admin users_ms=… users_sorted_ms=… users_search_ms=… usage_ms=… audit_ms=… audit_filtered_ms=… health_ms=… tasks_ms=… worst_ms=…`.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const log = (line: string) => console.log(`[admin] ${line}`);
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  await withTestServices(root, log, async ({ env }) => {
    Object.assign(process.env, env);
    const { startTestApi, authed } = await import('../../backend/test/support');
    const { emulatorAdmin } = await import('../../test-support/emulator-users');
    const { seedAdminData } = await import('../../test-support/admin-seed');
    const api = await startTestApi({ UNAUTHENTICATED_PER_MINUTE: '100000' });
    try {
      const admin = await emulatorAdmin();
      const seeding = performance.now();
      log('seeding 1,000 users and 100,000 audit entries (appended and chained as in production)…');
      await seedAdminData(api.redis, api.config.REDIS_PREFIX, api.backend.auditChain, { users: 1000, entries: 100_000 });
      log(`seeded in ${Math.round((performance.now() - seeding) / 1000)} s`);
      const time = async (path: string, runs = 15) => {
        const times: number[] = [];
        for (let i = 0; i < runs + 3; i++) {
          const started = performance.now();
          const res = await fetch(`${api.url}${path}`, { headers: authed(admin.idToken) });
          if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
          await res.arrayBuffer();
          if (i >= 3) times.push(performance.now() - started);
        }
        return p50(times);
      };
      const baseline = await time('/api/me');
      const pages: [string, string, string][] = [
        ['users', 'Users, first page (last active)', '/api/admin/users?limit=50'],
        ['users_sorted', 'Users sorted by tokens used', '/api/admin/users?sort=tokens&limit=50'],
        ['users_search', 'Users, search by email', '/api/admin/users?q=person99&limit=50'],
        ['usage', 'Usage, 30 days', '/api/admin/usage?range=30d'],
        ['audit', 'Audit log, newest 50', '/api/admin/audit?limit=50'],
        ['audit_filtered', 'Audit log, one user × one action', '/api/admin/audit?uid=seed-user-00042&action=task.create&limit=50'],
        ['health', 'Health', '/api/admin/health'],
        ['tasks', 'Tasks, recent', '/api/admin/tasks?status=recent&limit=50'],
      ];
      const results: Record<string, number> = {};
      console.log('');
      console.log('| page | first data, p50 | vs a trivial signed-in request |');
      console.log('| --- | --- | --- |');
      console.log(`| GET /api/me (baseline) | ${r(baseline)} ms | 1.0× |`);
      for (const [key, label, path] of pages) {
        results[key] = await time(path);
        console.log(`| ${label} | ${r(results[key]!)} ms | ${r(results[key]! / baseline)}× |`);
      }
      const worst = Math.max(...Object.values(results));
      console.log('');
      console.log(`With 1,000 users and 100,000 audit entries; target ≤ 200 ms per page: ${worst <= 200 ? 'met' : 'NOT met'} (worst ${r(worst)} ms).`);
      console.log(
        `admin ${Object.entries(results)
          .map(([k, v]) => `${k}_ms=${r(v)}`)
          .join(' ')} worst_ms=${r(worst)}`,
      );
    } finally {
      await api.close();
    }
  });
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`[admin] ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
