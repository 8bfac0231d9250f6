import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { GATEWAY_NODE_FLAGS } from '../../scripts/lib/build-gateway';
import { deleteKeys } from '../../test-support/redis-keys';
import { benchEnv, call, closeClient, cpuMs, GATEWAY_AUTH, root, startGateway, startUpstreamAndRelay, stopAll, STREAM_BODY, WHOLE_BODY } from './harness';

/**
 * `npm run bench:gateway-ab`: two gateway builds (or one build with two sets of node flags)
 * side by side against the same zero-latency upstream, with the bare relay as a yardstick.
 * Every round makes a streamed and a whole call through each of the three, in alternating
 * order, so drift and the neighbours' noise hit all alike; CPU per call comes from /proc per
 * block. On shared cores one run of bench:gateway varies by ±20%, far more than most single
 * changes; B/A over interleaved blocks tells a 3% change apart.
 *
 * Build A first and keep a copy inside the repository (its imports resolve from node_modules):
 *   npm run build:gateway && cp -r backend/dist/gateway backend/dist/gw-a
 *   (change the code) npm run build:gateway
 *   BENCH_A=backend/dist/gw-a/gateway-main.js BENCH_B=backend/dist/gateway/gateway-main.js npm run bench:gateway-ab
 * BENCH_A_ARGS / BENCH_B_ARGS add node flags (after the gateway's own); BENCH_BLOCKS and
 * BENCH_ROUNDS set the blocks and the rounds in each.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 800);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 600);
const flags = (name: string) => (process.env[name] ?? '').split(' ').filter(Boolean);

type Target = { name: 'relay' | 'A' | 'B'; url: string; pid: number; headers: Record<string, string> };

async function main(): Promise<void> {
  const sides = (['A', 'B'] as const).map((name) => {
    const entry = process.env[`BENCH_${name}`];
    if (!entry) throw new Error(`set BENCH_${name} to a built gateway-main.js (see the comment at the top of bench/gateway/ab.ts)`);
    const path = resolve(root, entry);
    if (!existsSync(path)) throw new Error(`BENCH_${name}: no such file ${path}`);
    if (relative(root, path).startsWith('..')) throw new Error(`BENCH_${name} must be inside the repository, where its imports resolve`);
    return { name, path, args: flags(`BENCH_${name}_ARGS`) };
  });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect().catch(() => {
    throw new Error(`bench:gateway-ab needs Redis at ${REDIS_URL}`);
  });
  const prefix = `benchab${Math.random().toString(36).slice(2, 8)}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'patchpad-bench-'));
  const children: ChildProcess[] = [];
  try {
    const { upstream, relay, relayPid } = await startUpstreamAndRelay(children);
    const targets: Target[] = [{ name: 'relay', url: relay, pid: relayPid, headers: {} }];
    for (const side of sides) {
      const env = benchEnv({ redisUrl: REDIS_URL, prefix: `${prefix}${side.name}`, upstream, dataDir });
      const gw = await startGateway(children, side.path, env, { nodeArgs: [...GATEWAY_NODE_FLAGS, ...side.args] });
      targets.push({ name: side.name, url: gw.url, pid: gw.pid, headers: GATEWAY_AUTH });
    }
    console.log(
      `gateway A/B: A=${relative(root, sides[0]!.path)} ${sides[0]!.args.join(' ')}; B=${relative(root, sides[1]!.path)} ${sides[1]!.args.join(' ')}`,
    );
    console.log(`${BLOCKS} blocks of ${ROUNDS} rounds (after ${WARMUP}), each round a streamed and a whole call through the relay, A and B`);
    const round = async (i: number) => {
      for (const t of i % 2 ? [...targets].reverse() : targets) {
        await call(`${t.url}/chat/completions`, STREAM_BODY, t.headers);
        await call(`${t.url}/chat/completions`, WHOLE_BODY, t.headers);
      }
    };
    for (let i = 0; i < WARMUP; i++) await round(i);
    const perCall: Record<Target['name'], number[]> = { relay: [], A: [], B: [] };
    for (let block = 0; block < BLOCKS; block++) {
      const before = targets.map((t) => cpuMs(t.pid));
      for (let i = 0; i < ROUNDS; i++) await round(i);
      targets.forEach((t, k) => perCall[t.name].push((cpuMs(t.pid) - before[k]!) / (2 * ROUNDS)));
      const [relayMs, a, b] = [perCall.relay.at(-1)!, perCall.A.at(-1)!, perCall.B.at(-1)!];
      console.log(`block ${block + 1}: CPU per call relay ${relayMs.toFixed(3)} ms, A ${a.toFixed(3)} ms, B ${b.toFixed(3)} ms, B/A ${(b / a).toFixed(3)}`);
    }
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
    const ratios = perCall.B.map((b, i) => b / perCall.A[i]!);
    console.log(
      `mean CPU per call: relay ${mean(perCall.relay).toFixed(3)} ms, A ${mean(perCall.A).toFixed(3)} ms (${(mean(perCall.A) / mean(perCall.relay)).toFixed(2)}× relay), B ${mean(perCall.B).toFixed(3)} ms (${(mean(perCall.B) / mean(perCall.relay)).toFixed(2)}× relay)`,
    );
    console.log(`gateway_ab b_over_a_mean=${(mean(perCall.B) / mean(perCall.A)).toFixed(3)} b_over_a_median=${median(ratios).toFixed(3)} blocks=${BLOCKS}`);
  } finally {
    await stopAll(children);
    for (const side of ['A', 'B']) await deleteKeys(redis, `${prefix}${side}:*`);
    redis.disconnect();
    await rm(dataDir, { recursive: true, force: true });
    closeClient();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
