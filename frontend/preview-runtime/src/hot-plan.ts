/**
 * Which modules an edit must run again, as Vite and webpack's React Refresh decide it.
 * A module that exports only components is a *boundary*: running it again is enough,
 * React swaps the new components in and keeps their state. Any other module (it exports a
 * constant, a hook, a helper, or nothing) changes values its importers hold, so they run
 * again too, up to the nearest boundaries. When the walk reaches a module that nothing
 * imports (the entry) without meeting a boundary, no one can accept the change: the whole
 * app runs again from the entry (a full reload, state reset). Pure.
 */

export interface GraphView {
  /** Whether the module ran in the current app (not yet run: nothing to update). */
  isEvaluated(path: string): boolean;
  /** Whether the module's current exports are all components. */
  isBoundary(path: string): boolean;
  importersOf(path: string): Iterable<string>;
}

export type UpdatePlan =
  | { kind: 'none' }
  | { kind: 'full'; reason: string }
  /** `stale`: run again (dependencies first, through `require`); `boundaries`: where the walk stopped. */
  | { kind: 'hot'; stale: string[]; boundaries: string[] };

export function planUpdate(changed: Iterable<string>, graph: GraphView): UpdatePlan {
  const stale = new Set<string>();
  const boundaries = new Set<string>();
  const queue = [...changed].filter((path) => graph.isEvaluated(path));
  while (queue.length > 0) {
    const path = queue.shift() as string;
    if (stale.has(path)) continue;
    stale.add(path);
    if (graph.isBoundary(path)) {
      boundaries.add(path);
      continue;
    }
    const importers = [...graph.importersOf(path)];
    if (importers.length === 0) {
      return { kind: 'full', reason: `${path} exports something other than React components, and no module above it can take the change` };
    }
    queue.push(...importers);
  }
  if (stale.size === 0) return { kind: 'none' };
  return { kind: 'hot', stale: [...stale], boundaries: [...boundaries] };
}
