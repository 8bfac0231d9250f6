import { describe, expect, it } from 'vitest';
import { planUpdate, type GraphView } from './hot-plan';

/** index → App → {Counter, utils}; utils → Counter? no: Counter → utils; App → theme (non-component). */
function graph(edges: Record<string, string[]>, boundaries: string[], evaluated = Object.keys(edges)): GraphView {
  const importers = new Map<string, string[]>();
  for (const [from, deps] of Object.entries(edges)) for (const dep of deps) importers.set(dep, [...(importers.get(dep) ?? []), from]);
  return {
    isEvaluated: (p) => evaluated.includes(p),
    isBoundary: (p) => boundaries.includes(p),
    importersOf: (p) => importers.get(p) ?? [],
  };
}

const app = graph(
  { index: ['App', 'config'], App: ['Counter', 'theme'], Counter: ['utils'], utils: [], theme: [], config: [], Lonely: [] },
  ['App', 'Counter', 'Lonely'],
  ['index', 'App', 'Counter', 'utils', 'theme', 'config'],
);

describe('planUpdate', () => {
  it('a component module is its own boundary', () => {
    expect(planUpdate(['Counter'], app)).toEqual({ kind: 'hot', stale: ['Counter'], boundaries: ['Counter'] });
  });
  it('a helper module runs again with its importers up to the nearest component modules', () => {
    expect(planUpdate(['utils'], app)).toEqual({ kind: 'hot', stale: ['utils', 'Counter'], boundaries: ['Counter'] });
    expect(planUpdate(['theme', 'utils'], app)).toEqual({ kind: 'hot', stale: ['theme', 'utils', 'App', 'Counter'], boundaries: ['App', 'Counter'] });
  });
  it('a change that reaches the entry without a boundary is a full run', () => {
    expect(planUpdate(['config'], app)).toMatchObject({ kind: 'full', reason: expect.stringContaining('index') });
    expect(planUpdate(['index'], app).kind).toBe('full');
  });
  it('modules the app never ran need nothing', () => {
    expect(planUpdate(['Lonely'], app)).toEqual({ kind: 'none' });
    expect(planUpdate([], app)).toEqual({ kind: 'none' });
  });
  it('terminates on import cycles', () => {
    const cyclic = graph({ index: ['a'], a: ['b'], b: ['a'] }, ['a']);
    expect(planUpdate(['b'], cyclic)).toEqual({ kind: 'hot', stale: ['b', 'a'], boundaries: ['a'] });
  });
});
