import { PROJECT_LIMITS, projectPathSchema } from '@patchpad/shared';

/** A folder or file of the tree the file panel shows (folders first, then files, by name). */
export type TreeNode = { kind: 'folder'; name: string; path: string; children: TreeNode[] } | { kind: 'file'; name: string; path: string };

export function buildTree(paths: readonly string[], extraFolders: readonly string[] = []): TreeNode[] {
  const root: TreeNode & { kind: 'folder' } = { kind: 'folder', name: '', path: '', children: [] };
  const folder = (path: string): TreeNode & { kind: 'folder' } => {
    let node = root;
    for (const [i, part] of path.split('/').entries()) {
      const sub = path
        .split('/')
        .slice(0, i + 1)
        .join('/');
      let next = node.children.find((c): c is TreeNode & { kind: 'folder' } => c.kind === 'folder' && c.name === part);
      if (!next) node.children.push((next = { kind: 'folder', name: part, path: sub, children: [] }));
      node = next;
    }
    return node;
  };
  for (const f of extraFolders) folder(f);
  for (const path of paths) {
    const cut = path.lastIndexOf('/');
    (cut === -1 ? root : folder(path.slice(0, cut))).children.push({ kind: 'file', name: path.slice(cut + 1), path });
  }
  const sort = (nodes: TreeNode[]): TreeNode[] =>
    nodes
      .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1))
      .map((n) => (n.kind === 'folder' ? { ...n, children: sort(n.children) } : n));
  return sort(root.children);
}

/**
 * Why `path` cannot be created (or renamed to), or null: the API's own path rules (the shared
 * schema), then what the tree already holds. A file and a folder cannot share a path.
 */
export function pathProblem(path: string, existing: readonly string[], ignore: readonly string[] = []): string | null {
  const parsed = projectPathSchema.safeParse(path);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'not a valid path';
  const others = existing.filter((p) => !ignore.includes(p));
  if (others.includes(path)) return `"${path}" already exists`;
  if (others.some((p) => p.startsWith(`${path}/`))) return `"${path}" is a folder`;
  const parents = path.split('/').slice(0, -1);
  for (let i = 1; i <= parents.length; i++) {
    const parent = parents.slice(0, i).join('/');
    if (others.includes(parent)) return `"${parent}" is a file, so it cannot hold "${path}"`;
  }
  return null;
}

/** Why a new file cannot be made at `path` (null: it can): the path rules and the API's file count limit. */
export function createProblem(path: string, existing: readonly string[]): string | null {
  if (existing.length >= PROJECT_LIMITS.maxFiles) return `a project may hold at most ${PROJECT_LIMITS.maxFiles} files`;
  return pathProblem(path, existing);
}

/** Renames (moves) a file or a whole folder: old path → new path for every file affected. */
export function renamePlan(paths: readonly string[], from: string, to: string): Map<string, string> {
  const plan = new Map<string, string>();
  for (const p of paths) {
    if (p === from) plan.set(p, to);
    else if (p.startsWith(`${from}/`)) plan.set(p, `${to}${p.slice(from.length)}`);
  }
  return plan;
}

/** The first problem with a rename plan (each new path checked against the files that stay), or null. */
export function renameProblem(paths: readonly string[], plan: ReadonlyMap<string, string>): string | null {
  if (plan.size === 0) return 'nothing to rename';
  const kept = paths.filter((p) => !plan.has(p));
  for (const to of plan.values()) {
    const problem = pathProblem(to, kept);
    if (problem) return problem;
  }
  return null;
}
