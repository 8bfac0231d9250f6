import { spawnSync } from 'node:child_process';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { attachRequestContext } from './request-context';

type Bindings = { requestId?: string };
function request(headers: Record<string, string> = {}) {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const req = new IncomingMessage(new Socket()) as IncomingMessage & { id: string; log: pino.Logger };
  req.headers = headers;
  const res = new ServerResponse(req);
  attachRequestContext(req, res, logger);
  return { req, res, lines };
}

describe('request context', () => {
  it('keeps a sane X-Request-Id and replaces anything else with a fresh id', () => {
    expect(request({ 'x-request-id': 'trace-1.a_b' }).req.id).toBe('trace-1.a_b');
    const odd = request({ 'x-request-id': 'no spaces; no "quotes"' }).req.id;
    expect(odd).toMatch(/^[0-9a-f-]{36}$/);
    expect(request().req.id).not.toBe(request().req.id);
  });

  it("gives each request a logger of its own that carries the request's id", () => {
    const one = request();
    const two = request();
    expect((one.req.log.bindings() as Bindings).requestId).toBe(one.req.id);
    expect((two.req.log.bindings() as Bindings).requestId).toBe(two.req.id);
    expect(one.req.log).toBe(one.req.log);
    one.req.log.info('hello');
    expect(JSON.parse(one.lines.at(-1)!)).toMatchObject({ requestId: one.req.id, msg: 'hello' });
    expect(one.res.getHeader('X-Request-Id')).toBe(one.req.id);
  });

  it('leaves every request with the same hidden class, so the HTTP code reading them stays monomorphic', () => {
    // A getter made per request gave each request object a V8 map of its own (measured: ~8% of
    // the gateway's CPU per call). %HaveSameMap needs --allow-natives-syntax: a child process.
    const probe = fileURLToPath(new URL('./fixtures/request-shape-probe.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', probe], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ fresh: true, afterLogging: true });
  });
});
