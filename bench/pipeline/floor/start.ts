import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../../../scripts/lib/net';

/**
 * The pipeline's floor: Patchpad's processes and hops with none of its logic. A client POSTs
 * a task to an Express API, which adds a BullMQ job and answers 202; the client opens the
 * task's SSE stream; a BullMQ worker calls the model through the API process's gateway route,
 * which relays it to the same zero-latency upstream; the worker stores the answer and
 * publishes it; the API's subscriber writes it to the stream. Measured in the same run as
 * Patchpad, it is what this machine charges for the shape of the pipeline alone, so the
 * difference is what Patchpad's own work costs.
 */
export type Floor = {
  apis: string[];
  processes: ChildProcess[];
  prefix: string;
  /** Starts one more API process and a worker that calls its gateway route. */
  addPair: () => Promise<void>;
  close: () => Promise<void>;
};

const here = resolve(import.meta.dirname);

export async function startFloor(redisUrl: string, upstreamBaseUrl: string, count: number): Promise<Floor> {
  const prefix = `floor${Date.now().toString(36)}`;
  const env = { ...process.env, REDIS_URL: redisUrl, FLOOR_PREFIX: prefix, FLOOR_UPSTREAM: upstreamBaseUrl };
  const processes: ChildProcess[] = [];
  const apis: string[] = [];
  const spawnTs = (file: string, extra: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(here, file)], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'inherit'] });
    processes.push(child);
    return child;
  };
  const addPair = async () => {
    const port = await freePort();
    const api = spawnTs('api.ts', { PORT: String(port) });
    await new Promise<void>((ready, failed) => {
      api.stdout!.once('data', () => ready());
      api.once('exit', (code) => failed(new Error(`floor API exited with ${code} during start-up`)));
    });
    const url = `http://127.0.0.1:${port}`;
    apis.push(url);
    spawnTs('worker.ts', { FLOOR_API: url });
  };
  for (let i = 0; i < count; i++) await addPair();
  return {
    apis,
    processes,
    prefix,
    addPair,
    async close() {
      await Promise.all(
        processes.map((child) =>
          child.exitCode !== null
            ? null
            : new Promise((exited) => {
                child.once('exit', exited);
                child.kill('SIGKILL');
              }),
        ),
      );
    },
  };
}
