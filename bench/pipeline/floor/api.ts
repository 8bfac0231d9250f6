import { randomUUID } from 'node:crypto';
import express from 'express';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { relayChat } from '../../gateway/relay-call';
import { floorKeys, type FloorJob } from './keys';

/**
 * The API process of the pipeline's floor (see ./start.ts): Express, a BullMQ queue, one
 * Redis subscriber fanning results out to SSE streams, and the model route relayed to an
 * OpenAI-compatible upstream on a keep-alive agent. Nothing else: no sign-in, validation,
 * limits, quotas, audit or task records.
 */
const env = (name: string) => process.env[name] ?? (console.error(`floor api: ${name} is not set`), process.exit(2));
const keys = floorKeys(env('FLOOR_PREFIX'));
const redis = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null });
const subscriber = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: null });
const queue = new Queue<FloorJob>(keys.queue, { connection: redis, prefix: keys.bullPrefix });

const waiting = new Map<string, (result: string) => void>();
void subscriber.subscribe(keys.channel);
subscriber.on('message', (_channel: string, message: string) => {
  const cut = message.indexOf('\n');
  waiting.get(message.slice(0, cut))?.(message.slice(cut + 1));
});

const app = express();
app.post('/tasks', express.json({ limit: '10mb' }), async (req, res) => {
  const id = randomUUID();
  await queue.add('task', { id, prompt: String(req.body.prompt) }, { jobId: id, removeOnComplete: true });
  res.status(202).json({ task: { id } });
});

app.get('/tasks/:id/events', async (req, res) => {
  const id = req.params.id;
  res.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
  const send = (result: string) => {
    waiting.delete(id);
    // The announcement and the read can both find the result: it is sent once.
    if (!res.writableEnded) res.end(`event: result\ndata: ${result}\n\n`);
  };
  // Subscribed before the read, so a result published in between is not missed.
  waiting.set(id, send);
  req.on('close', () => waiting.delete(id));
  const stored = await redis.get(keys.result(id));
  if (stored !== null) send(stored);
  else if (!res.headersSent) res.flushHeaders();
});

app.post('/gateway/v1/chat/completions', relayChat(env('FLOOR_UPSTREAM')));

const server = app.listen(Number(env('PORT')), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => {
  server.close();
  void queue.close().then(() => (redis.disconnect(), subscriber.disconnect(), process.exit(0)));
});
