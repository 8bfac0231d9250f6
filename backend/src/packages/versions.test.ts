import { describe, expect, it } from 'vitest';
import { pickVersion } from './versions';

const versions = ['1.0.0', '1.2.0', '1.3.0-rc.1', '2.0.0', '2.1.0', '3.0.0-beta.2'];
const tags = { latest: '2.0.0', next: '3.0.0-beta.2' };

describe('pickVersion', () => {
  it.each([
    ['^1.0.0', '1.2.0'],
    ['~1.0.0', '1.0.0'],
    ['1.x', '1.2.0'],
    ['>=1 <3', '2.0.0'], // latest satisfies: npm prefers it
    ['^2.0.0', '2.0.0'],
    ['2.1.0', '2.1.0'],
    ['*', '2.0.0'],
    ['latest', '2.0.0'],
    ['next', '3.0.0-beta.2'],
    ['', '2.0.0'],
  ])('%s → %s', (range, expected) => expect(pickVersion(versions, tags, range)).toEqual({ version: expected }));

  it.each([
    ['^9.0.0', 'no published version matches'],
    ['github:user/repo', 'not a registry version'],
    ['file:../x', 'not a registry version'],
    ['beta', 'neither a semver range nor a dist-tag'],
  ])('%s is refused with a reason', (range, reason) => {
    const choice = pickVersion(versions, tags, range);
    expect(choice.version).toBeNull();
    expect(choice.reason).toContain(reason);
  });
});
