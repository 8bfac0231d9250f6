import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_GATEWAY_TOKEN } from '@patchpad/shared';

/** What the gateway benches share: the client, the helper processes, and CPU from /proc. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

export type Timing = { firstByteMs: number; totalMs: number; bytes: number };
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** One POST, its answer read to the end: time to the first byte and in total. */
export function call(url: string, body: string, headers: Record<string, string> = {}): Promise<Timing> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    let first = 0n;
    let bytes = 0;
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
        res.on('data', (c: Buffer) => {
          if (first === 0n) first = process.hrtime.bigint();
          bytes += c.length;
        });
        res.on('end', () => {
          const end = process.hrtime.bigint();
          resolvePromise({ firstByteMs: Number(first - started) / 1e6, totalMs: Number(end - started) / 1e6, bytes });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const closeClient = () => agent.destroy();

/** The two calls every round makes of each target: a streamed answer and a whole one. */
export const STREAM_BODY = JSON.stringify({
  model: 'bench-model',
  stream: true,
  user: 'bench-user',
  messages: [{ role: 'user', content: 'Say something short.' }],
});
export const WHOLE_BODY = JSON.stringify({ model: 'bench-model', user: 'bench-user', messages: [{ role: 'user', content: 'Say something short.' }] });
export const GATEWAY_AUTH = { authorization: `Bearer ${DEV_GATEWAY_TOKEN}` };

/** `node --import tsx` for TypeScript sources (one process; the tsx CLI would add a wrapper), plain node with `nodeArgs` for built JS. */
export function startProcess(
  args: string[],
  env: Record<string, string>,
  options: { stdout?: 'pipe' | 'ignore'; cwd?: string; nodeArgs?: string[] } = {},
): ChildProcess {
  const loader = args[0]!.endsWith('.ts') ? ['--import', 'tsx'] : (options.nodeArgs ?? []);
  return spawn(process.execPath, [...loader, ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...env },
    stdio: ['ignore', options.stdout ?? 'ignore', 'inherit'],
  });
}

/** The port a helper process (upstream, relay) listens on: the first line it prints. */
export const printedPort = (child: ChildProcess) => new Promise<number>((r) => child.stdout!.once('data', (d: Buffer) => r(Number(d.toString().trim()))));

/** The zero-latency upstream and the bare relay in front of it, each in its own process. */
export async function startUpstreamAndRelay(children: ChildProcess[]): Promise<{ upstream: string; relay: string; upstreamPid: number; relayPid: number }> {
  const up = startProcess(['bench/gateway/upstream.ts'], {}, { stdout: 'pipe' });
  children.push(up);
  const upstream = `http://127.0.0.1:${await printedPort(up)}/v1`;
  const relayProcess = startProcess(['bench/gateway/relay.ts'], { RELAY_UPSTREAM: upstream }, { stdout: 'pipe' });
  children.push(relayProcess);
  const relay = `http://127.0.0.1:${await printedPort(relayProcess)}/gateway/v1`;
  return { upstream, relay, upstreamPid: up.pid!, relayPid: relayProcess.pid! };
}

/** The environment of a gateway (or API) process under bench: loopback, the upstream's one model, no effective rate limit. */
export function benchEnv(options: { redisUrl: string; prefix: string; upstream: string; dataDir: string; logLevel?: string }): Record<string, string> {
  return {
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.prefix,
    HOST: '127.0.0.1',
    LOG_LEVEL: options.logLevel ?? 'info',
    OPENAI_COMPATIBLE_BASE_URL: options.upstream,
    OPENAI_COMPATIBLE_MODELS: 'bench-model',
    GATEWAY_RATE_LIMIT_PER_MINUTE: '100000000',
    DATA_DIR: options.dataDir,
  };
}

/** Starts a built gateway (gateway-main.js) on a free port and waits until it answers; its /gateway/v1 URL and pid. */
export async function startGateway(
  children: ChildProcess[],
  entry: string,
  env: Record<string, string>,
  options: { cwd?: string; nodeArgs: string[] },
): Promise<{ url: string; pid: number }> {
  const port = await freePort();
  const child = startProcess([entry], { ...env, GATEWAY_PORT: String(port) }, options);
  children.push(child);
  await waitFor(`http://127.0.0.1:${port}/health`, child);
  return { url: `http://127.0.0.1:${port}/gateway/v1`, pid: child.pid! };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

export async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** CPU time (user + system) a process has used so far, in ms. */
export const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / CLK_TCK); // utime + stime
};

/** Stops the helper processes and waits until they are gone. */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
}
