/**
 * Preview latency: time from an edit (PreviewPane's `files` change in the IDE page) to
 * the updated DOM inside the preview frame, and the cold first render.
 *
 *   npm run bench:preview
 *
 * Real PreviewPane + Sandpack in headless Chromium, the runtime on its own origin. The
 * DOM time is taken in the preview by a MutationObserver installed before any page
 * script (Playwright init script), on the clock shared by both frames
 * (performance.timeOrigin + now). The baseline, measured in the same run, is the
 * runtime's naive mode (`?mode=full`: re-transpile and re-evaluate every module).
 * It also checks that a counter keeps its state across an edit (Fast Refresh), and times
 * the first render of a project that imports packages the cache lacks, through the
 * backend's package service and an npm registry on loopback: once uncached (download,
 * integrity check, bundle) and once from the service's store.
 * Never fails on timing. Last line:
 * `preview edit_p50_ms=<x> large_edit_p50_ms=<y> state_kept=<yes|no> cold_ms=<c> pkg_first_ms=<p> pkg_cached_ms=<q>`
 * (edits: the IDE's setting, self-hosted and immediate; x on the starter, y on 152 modules).
 */
import type { Browser, Frame, Page } from 'playwright-core';
import { hasChromium, launchBrowser } from '../../test-support/browser.js';
import type { HostPackages } from '../../frontend/test/preview-host/api.js';
import { FIXTURE_PACKAGES, startFakeRegistry } from '../../test-support/fake-npm-registry.js';
import { startPackageService } from '../../test-support/preview-packages.js';
import { manyModulesApp, oneModuleApp, packagesApp, starterApp, type App } from './apps.js';
import { topSelfTime } from './profile.js';
import { startPreviewEnv } from '../../frontend/test/preview-host/host.js';

const EDITS = Number(process.env.BENCH_EDITS ?? 50);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);

/** Runs in every frame before its scripts; active only on the runtime's origin. */
function probe(runtimeOrigin: string): void {
  if (location.origin !== runtimeOrigin) return;
  const w = window as unknown as { __expect: string | null; __hit: number | null; __first: number | null; __compileAt: number | null };
  w.__expect = null;
  w.__hit = null;
  w.__first = null;
  w.__compileAt = null;
  // Registered before the runtime's own listener: when an edit first reaches the frame.
  window.addEventListener(
    'message',
    (e) => {
      const type = (e.data as { type?: unknown } | null)?.type;
      if ((type === 'compile' || type === 'pp:files') && w.__compileAt === null) w.__compileAt = performance.timeOrigin + performance.now();
    },
    true,
  );
  new MutationObserver(() => {
    const text = document.getElementById('bench-target')?.textContent ?? null;
    if (text === null) return;
    const now = performance.timeOrigin + performance.now();
    w.__first ??= now;
    if (w.__expect !== null && text === w.__expect) {
      w.__hit = now;
      w.__expect = null;
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

interface Session {
  page: Page;
  frame: Frame;
  coldMs: number;
  close(): Promise<void>;
}

async function open(
  browser: Browser,
  hostUrl: string,
  runtimeUrl: string,
  bundlerUrl: string,
  app: App,
  mode: 'immediate' | 'delayed',
  packages: HostPackages | null = null,
): Promise<Session> {
  const context = await browser.newContext();
  await context.addInitScript(probe, new URL(runtimeUrl).origin);
  const page = await context.newPage();
  await page.goto(hostUrl);
  await page.evaluate(([files, url, m, p]) => window.__host.mount(files, url, m, p), [app.files, bundlerUrl, mode, packages] as const);
  const { frame, first } = await firstRender(page, new URL(runtimeUrl).origin);
  const mountedAt = await page.evaluate(() => window.__host.mountedAt);
  await page.waitForTimeout(300); // let the first compile's `done` settle
  return { page, frame, coldMs: first - mountedAt, close: () => context.close() };
}

/**
 * The preview frame once the app's DOM appeared, and when. Polls every frame on the runtime's
 * origin: Sandpack may replace the iframe while it starts, and a Frame object does not follow.
 */
async function firstRender(page: Page, origin: string): Promise<{ frame: Frame; first: number }> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames().filter((f) => !f.isDetached() && f.url().startsWith(origin))) {
      const first = await frame.evaluate(() => (window as unknown as { __first: number | null }).__first ?? null).catch(() => null);
      if (first !== null) return { frame, first };
    }
    await page.waitForTimeout(10);
  }
  throw new Error('the preview did not render within 30 s');
}

/** Edit → DOM, and how much of it passed before the compile reached the runtime (IDE + Sandpack + postMessage). */
interface EditSample {
  total: number;
  toRuntime: number;
}

/** One edit: sets the expected text in the frame, edits in the IDE, returns edit → DOM ms. */
async function measureEdit(session: Session, app: App, i: number): Promise<EditSample> {
  const { page, frame } = session;
  await frame.evaluate((text) => {
    const w = window as unknown as { __expect: string | null; __hit: number | null; __compileAt: number | null };
    w.__hit = null;
    w.__compileAt = null;
    w.__expect = text;
  }, `edit ${i}`);
  const at = await page.evaluate((files) => window.__host.setFiles(files), app.edit(i));
  await frame.waitForFunction(() => (window as unknown as { __hit: number | null }).__hit !== null, undefined, { timeout: 10_000, polling: 5 });
  const { hit, compileAt } = await frame.evaluate(() => {
    const w = window as unknown as { __hit: number; __compileAt: number | null };
    return { hit: w.__hit, compileAt: w.__compileAt ?? w.__hit };
  });
  await page.waitForTimeout(15); // the compile's `done` reaches the IDE before the next keystroke
  return { total: hit - at, toRuntime: compileAt - at };
}

/** Edits several sessions in turn (A, B, A, B…) so machine noise hits them alike. */
async function measureInterleaved(sessions: Session[], app: App): Promise<EditSample[][]> {
  const samples = sessions.map(() => [] as EditSample[]);
  for (let i = 1; i <= EDITS; i++) {
    for (const [k, session] of sessions.entries()) samples[k]?.push(await measureEdit(session, app, i));
  }
  return samples;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
};
const fmt = (n: number) => n.toFixed(1);

/** Clicks the app's counter 3 times, edits the heading, and checks the counter still says 3. */
async function keepsState(session: Session, app: App): Promise<boolean> {
  const button = session.frame.locator('button').first();
  for (let i = 0; i < 3; i++) await button.click();
  const before = await button.textContent();
  await measureEdit(session, app, 9999);
  const after = await button.textContent();
  return before === 'Clicked 3 times' && after === before;
}

async function main(): Promise<void> {
  if (!hasChromium()) {
    console.log('chromium not found (set CHROMIUM_PATH); skipping');
    return;
  }
  const env = await startPreviewEnv();
  const browser = await launchBrowser();
  const registry = await startFakeRegistry(FIXTURE_PACKAGES);
  const service = await startPackageService(registry.url);
  try {
    const full = `${env.runtimeUrl}?mode=full`;
    console.log(`preview benchmark: ${EDITS} edits per case, edit → DOM in the preview frame (ms)`);

    const colds: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      const s = await open(browser, env.hostUrl, env.runtimeUrl, env.runtimeUrl, starterApp, 'immediate');
      colds.push(s.coldMs);
      await s.close();
    }
    const coldP50 = percentile(colds, 50);
    console.log(
      `cold first render (empty HTTP cache, PreviewPane mount → app DOM), ${COLD_RUNS} runs: p50=${fmt(coldP50)} min=${fmt(Math.min(...colds))} max=${fmt(Math.max(...colds))}`,
    );

    const results = new Map<string, { p50: number; p95: number }>();
    const report = (app: App, label: string, samples: EditSample[], cold: number) => {
      const totals = samples.map((x) => x.total);
      const r = { p50: percentile(totals, 50), p95: percentile(totals, 95) };
      results.set(`${app.name}|${label}`, r);
      const split = `of which IDE → runtime p50=${fmt(
        percentile(
          samples.map((x) => x.toRuntime),
          50,
        ),
      )}`;
      console.log(`${app.name.padEnd(18)} ${label.padEnd(34)} p50=${fmt(r.p50).padStart(6)} p95=${fmt(r.p95).padStart(6)}  (${split}; cold ${fmt(cold)})`);
    };
    for (const app of [starterApp, oneModuleApp, manyModulesApp]) {
      // The IDE's setting and the baseline, interleaved edit by edit.
      const incremental = await open(browser, env.hostUrl, env.runtimeUrl, env.runtimeUrl, app, 'immediate');
      const baseline = await open(browser, env.hostUrl, env.runtimeUrl, full, app, 'immediate');
      const [inc = [], base = []] = await measureInterleaved([incremental, baseline], app);
      await Promise.all([incremental.close(), baseline.close()]);
      report(app, 'Fast Refresh, immediate', inc, incremental.coldMs);
      report(app, 'baseline full re-eval, immediate', base, baseline.coldMs);
      const delayed = await open(browser, env.hostUrl, env.runtimeUrl, env.runtimeUrl, app, 'delayed');
      const delayedBase = await open(browser, env.hostUrl, env.runtimeUrl, full, app, 'delayed');
      const [del = [], delBase = []] = await measureInterleaved([delayed, delayedBase], app);
      await Promise.all([delayed.close(), delayedBase.close()]);
      report(app, 'Fast Refresh, delayed (200 ms)', del, delayed.coldMs);
      report(app, 'baseline full re-eval, delayed', delBase, delayedBase.coldMs);
      const ratio =
        percentile(
          base.map((x) => x.total),
          50,
        ) /
        percentile(
          inc.map((x) => x.total),
          50,
        );
      console.log(`${app.name.padEnd(18)} ratio baseline p50 / Fast Refresh p50 (immediate) = ${ratio.toFixed(2)}x`);
    }

    if (process.env.BENCH_PROFILE === '1') {
      const session = await open(browser, env.hostUrl, env.runtimeUrl, env.runtimeUrl, manyModulesApp, 'immediate');
      const lines = await topSelfTime(session.page, async () => {
        for (let i = 1; i <= EDITS; i++) await measureEdit(session, manyModulesApp, 10_000 + i);
      });
      await session.close();
      console.log(`IDE page, ${EDITS} edits of the 152-module app, most self time:\n${lines.join('\n')}`);
    }

    const stateSession = await open(browser, env.hostUrl, env.runtimeUrl, env.runtimeUrl, starterApp, 'immediate');
    const stateKept = await keepsState(stateSession, starterApp);
    await stateSession.close();
    const baselineState = await open(browser, env.hostUrl, env.runtimeUrl, full, starterApp, 'immediate');
    const baselineKept = await keepsState(baselineState, starterApp);
    await baselineState.close();
    console.log(`counter at 3, then an edit of App.tsx: state kept with Fast Refresh: ${stateKept ? 'yes' : 'no'}; baseline: ${baselineKept ? 'yes' : 'no'}`);

    const access = (): HostPackages => ({ url: service.url, token: service.mint('bench') });
    const first = await open(browser, env.hostUrl, env.runtimeUrl, env.runtimeUrl, packagesApp, 'immediate', access());
    await first.close();
    const cached = await open(browser, env.hostUrl, env.runtimeUrl, env.runtimeUrl, packagesApp, 'immediate', access());
    await cached.close();
    const tarballs = registry.requests.filter((r) => r.endsWith('.tgz')).length;
    console.log(
      `packages app (2 imports + 1 dependency not in the cache), mount → DOM: first load ${fmt(first.coldMs)} (registry, integrity, esbuild; ${tarballs} tarballs), ` +
        `second load ${fmt(cached.coldMs)} (from the service's store; ${service.service.buildCount} builds in all); starter cold p50 ${fmt(coldP50)}`,
    );

    const chosen = results.get(`${starterApp.name}|Fast Refresh, immediate`);
    const large = results.get(`${manyModulesApp.name}|Fast Refresh, immediate`);
    console.log(
      `preview edit_p50_ms=${fmt(chosen?.p50 ?? NaN)} large_edit_p50_ms=${fmt(large?.p50 ?? NaN)} state_kept=${stateKept ? 'yes' : 'no'} cold_ms=${fmt(coldP50)} pkg_first_ms=${fmt(first.coldMs)} pkg_cached_ms=${fmt(cached.coldMs)}`,
    );
  } finally {
    await browser.close();
    await env.close();
    await service.close();
    await registry.close();
  }
}

await main();
