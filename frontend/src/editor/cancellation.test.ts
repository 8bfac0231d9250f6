import { describe, expect, it } from 'vitest';
import { CancellationError } from 'monaco-editor/esm/vs/base/common/errors.js';
import { isMonacoCancellation } from './cancellation';

describe('isMonacoCancellation', () => {
  it("knows Monaco's own CancellationError", () => {
    expect(isMonacoCancellation(new CancellationError())).toBe(true);
  });

  it('lets every other rejection through, even ones that look close', () => {
    expect(isMonacoCancellation(new Error('Canceled'))).toBe(false);
    expect(isMonacoCancellation(Object.assign(new Error('Canceled: the save'), { name: 'Canceled' }))).toBe(false);
    expect(isMonacoCancellation({ name: 'Canceled', message: 'Canceled' })).toBe(false);
    expect(isMonacoCancellation('Canceled')).toBe(false);
    expect(isMonacoCancellation(undefined)).toBe(false);
  });
});
