import { describe, expect, it } from 'vitest';
import { apiPackages } from './access';
import { previewUrlFor, projectPreviewKey } from './origin';

describe('per-project preview origins', () => {
  it('turns the pattern’s * label into a stable 32-hex hash of the project id, different per project', async () => {
    const a = await projectPreviewKey('abc123');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await projectPreviewKey('abc123')).toBe(a);
    expect(await projectPreviewKey('abc124')).not.toBe(a);
    expect(previewUrlFor('http://*.preview.localhost:5174', a)).toBe(`http://${a}.preview.localhost:5174`);
    expect(previewUrlFor('https://*.preview.example.com', a)).toBe(`https://${a}.preview.example.com`);
    expect(previewUrlFor('http://127.0.0.1:5174', a)).toBe('http://127.0.0.1:5174'); // no `*`: one shared origin
  });
});

describe('apiPackages', () => {
  it('mints a capability once and reuses it until a minute before it expires', async () => {
    let minted = 0;
    let expiresAt = Date.now() + 3_600_000;
    const access = apiPackages('http://api.test/api/packages', async () => ({ token: `t${++minted}`, expiresAt }));
    expect(await access.capability()).toBe('t1');
    expect(await access.capability()).toBe('t1');
    expiresAt = Date.now() + 30_000;
    const soon = apiPackages('http://api.test/api/packages', async () => ({ token: `s${++minted}`, expiresAt }));
    expect(await soon.capability()).toBe('s2');
    expect(await soon.capability()).toBe('s3');
    expect(access.url).toBe('http://api.test/api/packages');
  });
});
