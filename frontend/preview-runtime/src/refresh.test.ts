import { describe, expect, it } from 'vitest';
import { exportsOnlyComponents, hookSignature, registrationCode, topLevelComponentNames } from './refresh';

describe('hookSignature', () => {
  it.each([
    ['no hooks', 'function A() { return 1; }', ''],
    [
      'sucrase form with the initial state',
      'function C({start}) { const [c, s] = (0, _react.useState)(start); (0, _react.useEffect)(() => {}, []); }',
      'useState(start)\nuseEffect',
    ],
    [
      'plain calls, useReducer keyed by its initial state',
      'function C() { const r = useRef(null); const [s, d] = useReducer(reduce, { n: f(1) }); }',
      'useRef\nuseReducer({ n: f(1) })',
    ],
    [
      'sucrase call form',
      'function C() { const [c] = _react.useState.call(void 0, start + 10); _react.useMemo.call(void 0, f, []); }',
      'useState(start + 10)\nuseMemo',
    ],
    ['custom hooks by name', 'function C() { const x = useThing(1, 2); }', 'useThing'],
    ['not hooks', 'function C() { user(); reuse(); useless; }', ''],
  ])('%s', (_name, source, expected) => expect(hookSignature(source)).toBe(expected));

  it('changes when the initial state changes, so React remounts instead of keeping stale state', () => {
    expect(hookSignature('useState(0)')).not.toBe(hookSignature('useState(1)'));
  });
});

describe('topLevelComponentNames', () => {
  it('finds capitalised top-level declarations, exported or not, and nothing nested', () => {
    const source = `import { useState } from 'react';
export default function App() {
  const Inner = () => null;
  return null;
}
export function Counter() {}
const Label = () => null;
export const Badge = memo(() => null);
class Legacy extends Component {}
const lower = 1;
function helper() {}
`;
    expect(topLevelComponentNames(source)).toEqual(['App', 'Counter', 'Label', 'Badge', 'Legacy']);
  });

  it('registers each name guarded, so an undeclared or type-only name cannot throw', () => {
    const register: Array<[unknown, string]> = [];
    const run = new Function('__pp$register', `const Real = 1;${registrationCode(['Real', 'Missing'])}`) as (r: unknown) => void;
    run((value: unknown, name: string) => register.push([value, name]));
    expect(register).toEqual([
      [1, 'Real'],
      [undefined, 'Missing'],
    ]);
  });
});

describe('exportsOnlyComponents', () => {
  const isComponent = (v: unknown) => typeof v === 'function' && /^[A-Z]/.test(v.name);
  function App() {}
  function helper() {}
  it.each([
    ['only components', { __esModule: true, default: App, App }, true],
    ['a constant too', { App, version: 2 }, false],
    ['a helper too', { App, helper }, false],
    ['nothing', { __esModule: true }, false],
    ['module.exports = component', App, true],
    ['module.exports = string', 'x', false],
  ])('%s → %s', (_name, exports, expected) => expect(exportsOnlyComponents(exports, isComponent)).toBe(expected));
});
