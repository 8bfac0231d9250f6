import { Agent, request } from 'node:http';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { floorKeys, type FloorJob } from './keys';

/**
 * The worker process of the pipeline's floor (see ./start.ts): a BullMQ worker that calls the
 * model through the API process's gateway route, reads the streamed answer to its end, stores
 * the text and announces it. No prompt building, token counting, patch parsing or validation.
 */
const env = (name: string) => process.env[name] ?? (console.error(`floor worker: ${name} is not set`), process.exit(2));
const keys = floorKeys(env('FLOOR_PREFIX'));
const gateway = new URL(`${env('FLOOR_API')}/gateway/v1/chat/completions`);
const redis = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null });
const agent = new Agent({ keepAlive: true });

/** The model's answer: the streamed deltas' content, concatenated. */
function complete(prompt: string): Promise<string> {
  const body = JSON.stringify({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: prompt }] });
  return new Promise((resolve, reject) => {
    const call = request(
      gateway,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (raw += chunk));
        res.on('end', () => {
          let text = '';
          for (const line of raw.split('\n')) {
            if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
            const parsed = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[] };
            text += parsed.choices?.[0]?.delta?.content ?? '';
          }
          resolve(text);
        });
        res.on('error', reject);
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

const worker = new Worker<FloorJob>(
  keys.queue,
  async (job) => {
    const result = JSON.stringify({ type: 'result', text: await complete(job.data.prompt) });
    await redis.multi().set(keys.result(job.data.id), result, 'EX', 600).publish(keys.channel, `${job.data.id}\n${result}`).exec();
  },
  { connection: new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null }), prefix: keys.bullPrefix, concurrency: 64 },
);
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
