import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { buildGateway, GATEWAY_NODE_FLAGS } from '../../scripts/lib/build-gateway';
import { deleteKeys } from '../../test-support/redis-keys';
import {
  benchEnv,
  call,
  closeClient,
  cpuMs,
  freePort,
  GATEWAY_AUTH,
  root,
  startGateway,
  startProcess,
  startUpstreamAndRelay,
  stopAll,
  STREAM_BODY,
  waitFor,
  WHOLE_BODY,
  type Timing,
} from './harness';

/**
 * `npm run bench:gateway`: the same zero-latency upstream called directly and through the
 * gateway, in one run, sequentially (one call at a time, so latency is not queueing):
 *  - extra time to the first byte of a streamed answer, and extra total time of a whole
 *    (non-streamed) answer, p50, gateway minus direct;
 *  - CPU the gateway process spends per call (from /proc, over the measured calls), beside
 *    a bare relay's (./relay.ts: the floor of any gateway on node:http) in the same rounds;
 *  - peak RSS of the process serving the gateway (`npm run start:gateway`); the full API
 *    process, which serves /gateway/v1 too, is measured the same way for comparison.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 600);
const GATEWAY_ARGS = [...GATEWAY_NODE_FLAGS, ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];

const memory = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMib: kb('VmRSS') / 1024, peakMib: kb('VmHWM') / 1024 };
};
const p = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const fmt = (n: number, d = 3) => n.toFixed(d);

type Kinds = { directStream: number[]; gatewayStream: number[]; directWhole: number[]; gatewayWhole: number[]; relayStream: number[]; relayWhole: number[] };

async function measure(upstream: string, gateway: string, rounds: number, relay: string | null = null): Promise<Kinds> {
  const out: Kinds = { directStream: [], gatewayStream: [], directWhole: [], gatewayWhole: [], relayStream: [], relayWhole: [] };
  for (let i = 0; i < rounds; i++) {
    // Interleaved, alternating which goes first, so drift and warm-up hit both sides alike.
    const pairs: [keyof Kinds, () => Promise<Timing>, 'first' | 'total'][] = [
      ['directStream', () => call(`${upstream}/chat/completions`, STREAM_BODY), 'first'],
      ['gatewayStream', () => call(`${gateway}/chat/completions`, STREAM_BODY, GATEWAY_AUTH), 'first'],
      ['directWhole', () => call(`${upstream}/chat/completions`, WHOLE_BODY), 'total'],
      ['gatewayWhole', () => call(`${gateway}/chat/completions`, WHOLE_BODY, GATEWAY_AUTH), 'total'],
    ];
    if (relay) {
      pairs.push(['relayStream', () => call(`${relay}/chat/completions`, STREAM_BODY), 'first']);
      pairs.push(['relayWhole', () => call(`${relay}/chat/completions`, WHOLE_BODY), 'total']);
    }
    if (i % 2) pairs.reverse();
    for (const [kind, run, what] of pairs) {
      const t = await run();
      out[kind].push(what === 'first' ? t.firstByteMs : t.totalMs);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect().catch(() => {
    throw new Error(`bench:gateway needs Redis at ${REDIS_URL} (the registry and usage live there): run \`npm start\` once, or redis-server`);
  });
  const prefix = `benchgw${Math.random().toString(36).slice(2, 8)}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'patchpad-bench-'));
  const children: ChildProcess[] = [];
  try {
    const { upstream, relay, upstreamPid, relayPid } = await startUpstreamAndRelay(children);
    const env = benchEnv({ redisUrl: REDIS_URL, prefix, upstream, dataDir, logLevel: process.env.BENCH_LOG_LEVEL });
    // What `npm run start:gateway` runs: the build, on plain node, with the same flags.
    const gw = await startGateway(children, await buildGateway(root), env, { cwd: process.env.BENCH_GATEWAY_CWD ?? root, nodeArgs: GATEWAY_ARGS });
    const gateway = gw.url;

    console.log(
      `gateway bench: ${ROUNDS} interleaved rounds (after ${WARMUP} warm-up) of 6 sequential calls (direct, gateway, bare relay; streamed and not); upstream answers at once`,
    );
    await measure(upstream, gateway, WARMUP, relay);
    const cpuBefore = cpuMs(gw.pid);
    const upCpuBefore = cpuMs(upstreamPid);
    const relayCpuBefore = cpuMs(relayPid);
    const kinds = await measure(upstream, gateway, ROUNDS, relay);
    const cpuMsPerCall = (cpuMs(gw.pid) - cpuBefore) / (2 * ROUNDS);
    // Baselines: a bare node:http server (the upstream) answered all 6 calls of every round; a
    // bare relay (the floor of a gateway on node:http) passed 2 of them on.
    const upstreamCpuMsPerCall = (cpuMs(upstreamPid) - upCpuBefore) / (6 * ROUNDS);
    const relayCpuMsPerCall = (cpuMs(relayPid) - relayCpuBefore) / (2 * ROUNDS);
    const gwMemory = memory(gw.pid);

    // The whole API process serves /gateway/v1 too: its memory, for comparison.
    const apiPort = await freePort();
    const api = startProcess(['backend/src/main.ts'], { ...env, PORT: String(apiPort), REDIS_PREFIX: `${prefix}api` });
    children.push(api);
    await waitFor(`http://127.0.0.1:${apiPort}/health`, api);
    const apiKinds = await measure(upstream, `http://127.0.0.1:${apiPort}/gateway/v1`, Math.min(ROUNDS, 1000));
    const apiMemory = memory(api.pid!);

    const row = (label: string, direct: number[], through: number[]) =>
      `| ${label} | ${fmt(p(direct, 0.5))} | ${fmt(p(through, 0.5))} | +${fmt(p(through, 0.5) - p(direct, 0.5))} | ${fmt(p(through, 0.5) / p(direct, 0.5), 2)}× | ${fmt(p(direct, 0.9))} / ${fmt(p(through, 0.9))} |`;
    console.log('\n| p50, ms | direct | through gateway | extra | ratio | p90 direct / gateway |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    console.log(row('first byte, streamed', kinds.directStream, kinds.gatewayStream));
    console.log(row('total, not streamed', kinds.directWhole, kinds.gatewayWhole));
    console.log(row('first byte through a bare relay (the floor)', kinds.directStream, kinds.relayStream));
    console.log(row('total through a bare relay (the floor)', kinds.directWhole, kinds.relayWhole));
    console.log(row('first byte via the full API process', apiKinds.directStream, apiKinds.gatewayStream));
    console.log(row('total via the full API process', apiKinds.directWhole, apiKinds.gatewayWhole));
    console.log(
      `\ngateway process CPU: ${fmt(cpuMsPerCall)} ms per call (usage booking, rate limit, request log included); a bare node:http server answering the same call (the upstream): ${fmt(upstreamCpuMsPerCall)} ms, ratio ${fmt(cpuMsPerCall / upstreamCpuMsPerCall, 2)}×; a bare relay passing it on (the floor of a gateway on node:http): ${fmt(relayCpuMsPerCall)} ms, ratio ${fmt(cpuMsPerCall / relayCpuMsPerCall, 2)}×`,
    );
    console.log(
      `RSS: gateway process ${fmt(gwMemory.rssMib, 1)} MiB (peak ${fmt(gwMemory.peakMib, 1)}); full API process ${fmt(apiMemory.rssMib, 1)} MiB (peak ${fmt(apiMemory.peakMib, 1)}), ratio ${fmt(gwMemory.peakMib / apiMemory.peakMib, 2)}×`,
    );
    console.log(`run time ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const firstExtra = p(kinds.gatewayStream, 0.5) - p(kinds.directStream, 0.5);
    const totalExtra = p(kinds.gatewayWhole, 0.5) - p(kinds.directWhole, 0.5);
    console.log(
      `gateway first_byte_extra_ms=${fmt(firstExtra)} total_extra_ms=${fmt(totalExtra)} cpu_ms_per_req=${fmt(cpuMsPerCall)} rss_mib=${fmt(gwMemory.peakMib, 1)}`,
    );
  } finally {
    await stopAll(children);
    for (const pattern of [`${prefix}:*`, `${prefix}api:*`]) await deleteKeys(redis, pattern);
    redis.disconnect();
    await rm(dataDir, { recursive: true, force: true });
    closeClient();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
