import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApi } from './client';

/** What the IDE shows when a call fails: the API's own words, or a plain status when someone else answered. */
describe('API client errors', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ours') {
        res.writeHead(429, { 'Content-Type': 'application/json' });
        return res.end(
          JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down: 10 tasks a minute', details: { limit: 'tasks_per_minute' }, requestId: 'r1' } }),
        );
      }
      if (req.url === '/proxy') {
        res.writeHead(502, 'Bad Gateway', { 'Content-Type': 'text/html' });
        return res.end('<html><body>nginx</body></html>');
      }
      res.writeHead(500, 'Internal Server Error', { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'a string, not our envelope' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const failure = (path: string) =>
    createApi(async () => 'token')
      .get(`${base}${path}`)
      .then(
        () => null,
        (err: unknown) => err as ApiError,
      );

  it("carries the API's code, message and details", async () => {
    const err = await failure('/ours');
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', message: 'Slow down: 10 tasks a minute', details: { limit: 'tasks_per_minute' } });
  });

  it('names the status when a proxy answered with a page of its own', async () => {
    expect(await failure('/proxy')).toMatchObject({ status: 502, code: 'http_error', message: 'The server answered 502 Bad Gateway' });
  });

  it('does not take a JSON body of another shape for our error', async () => {
    expect(await failure('/other')).toMatchObject({ status: 500, code: 'http_error', message: 'The server answered 500 Internal Server Error' });
  });
});
