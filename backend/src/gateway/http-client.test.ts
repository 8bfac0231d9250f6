import { describe, expect, it } from 'vitest';
import { Endpoint, retryAfterMs } from './http-client';

describe('provider endpoint', () => {
  it('takes a URL apart into the request options node:http needs', () => {
    const options = new Endpoint('http://127.0.0.1:11434/v1/chat/completions').postOptions({ accept: 'text/event-stream' });
    expect(options).toMatchObject({ protocol: 'http:', hostname: '127.0.0.1', port: '11434', path: '/v1/chat/completions', method: 'POST' });
    expect(options.headers).toEqual({ accept: 'text/event-stream' });
  });

  it('keeps a query, drops the brackets of an IPv6 host, and leaves the default port to the protocol', () => {
    const v6 = new Endpoint('http://[::1]:8080/v1/messages?beta=true');
    expect(v6.host).toBe('[::1]:8080');
    expect(v6.postOptions({})).toMatchObject({ hostname: '::1', port: '8080', path: '/v1/messages?beta=true' });
    const tls = new Endpoint('https://api.example.com/v1/chat/completions');
    expect(tls.secure).toBe(true);
    expect(tls.postOptions({})).toMatchObject({ protocol: 'https:', hostname: 'api.example.com', port: undefined });
  });

  it('gives each call options of its own', () => {
    const endpoint = new Endpoint('http://127.0.0.1:1/v1');
    expect(endpoint.postOptions({})).not.toBe(endpoint.postOptions({}));
  });
});

describe('Retry-After', () => {
  it('reads seconds or an HTTP date, and nothing else', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs(new Date(61_000).toUTCString(), 1_000)).toBe(60_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
