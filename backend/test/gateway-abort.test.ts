import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_GATEWAY_TOKEN } from '@patchpad/shared';
import { gatewayChat } from './models-support';
import { startTestApi, type TestApi } from './support';

/**
 * An upstream that streams a long answer slowly (a chunk every 50 ms for 3 s), never silent for
 * long, and notes whether each answer was cut off by the gateway before its end.
 */
async function slowUpstream() {
  const answers: { cut: boolean | null }[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer: { cut: boolean | null } = { cut: null };
      answers.push(answer);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        if (sent++ === 60) {
          clearInterval(timer);
          res.end('data: [DONE]\n\n');
          return;
        }
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: `w${sent} ` } }] })}\n\n`);
      }, 50);
      res.on('close', () => {
        clearInterval(timer);
        answer.cut = !res.writableFinished;
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, answers, close };
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe('gateway: a call stopped by its deadline or by its caller stops the upstream too', () => {
  let api: TestApi;
  let upstream: Awaited<ReturnType<typeof slowUpstream>>;
  beforeAll(async () => {
    upstream = await slowUpstream();
    api = await startTestApi({ PROVIDER_TIMEOUT_MS: '1000', OPENAI_COMPATIBLE_BASE_URL: upstream.baseUrl, OPENAI_COMPATIBLE_MODELS: 'slow' });
  });
  afterAll(async () => {
    await api.close();
    await upstream.close();
  });

  it('answers 504 upstream_timeout at PROVIDER_TIMEOUT_MS and cuts the upstream answer off', async () => {
    const started = Date.now();
    const res = await gatewayChat(api, { model: 'slow' });
    expect(res.status).toBe(504);
    expect(res.json().error.code).toBe('upstream_timeout');
    // The deadline, not the upstream's 3 s answer, ended it.
    expect(Date.now() - started).toBeLessThan(2500);
    await until(() => upstream.answers.at(-1)?.cut !== null, 'the upstream answer to close');
    expect(upstream.answers.at(-1)!.cut).toBe(true);
  });

  it('cuts the upstream answer off when the caller goes away mid-stream', async () => {
    const count = upstream.answers.length;
    await new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'hi' }] });
      const req = request(
        `${api.url}/gateway/v1/chat/completions`,
        { method: 'POST', headers: { authorization: `Bearer ${DEV_GATEWAY_TOKEN}`, 'content-type': 'application/json' } },
        (res) => {
          expect(res.statusCode).toBe(200);
          // The first text arrived: leave.
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.end(body);
    });
    await until(() => upstream.answers.length > count && upstream.answers.at(-1)!.cut !== null, 'the upstream answer to close');
    expect(upstream.answers.at(-1)!.cut).toBe(true);
  });
});
