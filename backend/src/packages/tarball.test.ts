import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeTarball } from '../../../test-support/fake-npm-registry';
import { packagePath, untar, verifyIntegrity } from './tarball';

const limits = { maxUnpackedBytes: 1_000_000, maxFiles: 100 };

describe('package tarballs', () => {
  const tgz = makeTarball({
    'package.json': '{"name":"a","version":"1.0.0"}',
    'lib/index.js': 'module.exports = 1;',
    [`deep/${'d'.repeat(120)}/x.js`]: 'long',
  });

  it('unpacks regular files under package/, long paths included', () => {
    const files = untar('a@1.0.0', tgz, limits);
    expect([...files.keys()].sort()).toEqual([`deep/${'d'.repeat(120)}/x.js`, 'lib/index.js', 'package.json']);
    expect(files.get('lib/index.js')?.toString()).toBe('module.exports = 1;');
  });

  it('checks sha512 integrity (the strongest given) and the sha1 shasum fallback', () => {
    const sha512 = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
    const sha1 = createHash('sha1').update(tgz).digest('hex');
    expect(() => verifyIntegrity('a@1', tgz, sha512, undefined)).not.toThrow();
    expect(() => verifyIntegrity('a@1', tgz, `sha1-${Buffer.from(sha1, 'hex').toString('base64')} ${sha512}`, undefined)).not.toThrow();
    expect(() => verifyIntegrity('a@1', tgz, undefined, sha1)).not.toThrow();
    const other = makeTarball({ 'package.json': '{}' });
    expect(() => verifyIntegrity('a@1', other, sha512, sha1)).toThrow(/sha512 does not match/);
    expect(() => verifyIntegrity('a@1', other, undefined, sha1)).toThrow(/sha1 does not match/);
    expect(() => verifyIntegrity('a@1', tgz, undefined, undefined)).toThrow(/no integrity/);
  });

  it('refuses archives over the file or size limits, and skips unsafe paths', () => {
    expect(() => untar('a@1', tgz, { maxUnpackedBytes: 10, maxFiles: 100 })).toThrow(/PACKAGES_MAX_UNPACKED_BYTES/);
    expect(() => untar('a@1', tgz, { maxUnpackedBytes: 1_000_000, maxFiles: 1 })).toThrow(/PACKAGES_MAX_FILES/);
    expect(packagePath('package/../../etc/passwd')).toBeNull();
    expect(packagePath('package/a/../../x')).toBeNull();
    expect(packagePath('package')).toBeNull();
    expect(packagePath('package/./lib/x.js')).toBe('lib/x.js');
  });
});
