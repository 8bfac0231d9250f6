import { useState, type DragEvent, type ReactNode } from 'react';
import { buildTree, createProblem, pathProblem, type TreeNode } from './tree';
import { fileIcon } from './icons';

export type TreeActions = {
  onOpen: (path: string) => void;
  onCreate: (path: string, kind: 'file' | 'folder') => void;
  onRename: (from: string, to: string) => void;
  onDelete: (path: string, kind: 'file' | 'folder') => void;
  /** Why `to` is not a valid new path for `from` (null: fine); the API's rules, checked before any request. */
  renameProblem: (from: string, to: string) => string | null;
};

type Props = TreeActions & { paths: string[]; folders: string[]; active: string; dirty: ReadonlySet<string> };
type Editing = { mode: 'new-file' | 'new-folder'; parent: string } | { mode: 'rename'; path: string; kind: 'file' | 'folder' };

/** The project's files as a tree: create, rename (a path with folders moves it), drag to move, delete. */
export function FileTree(props: Props) {
  const { paths, folders, active, dirty } = props;
  const [editing, setEditing] = useState<Editing | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const toggle = (path: string) => setCollapsed((c) => new Set(c.has(path) ? [...c].filter((x) => x !== path) : [...c, path]));

  const drop = (folder: string) => (e: DragEvent) => {
    e.preventDefault();
    const from = e.dataTransfer.getData('text/x-patchpad-path');
    if (!from) return;
    const to = folder ? `${folder}/${from.slice(from.lastIndexOf('/') + 1)}` : from.slice(from.lastIndexOf('/') + 1);
    if (to !== from && props.renameProblem(from, to) === null) props.onRename(from, to);
  };

  const render = (nodes: TreeNode[], depth: number): ReactNode =>
    nodes.map((node) => {
      const pad = { paddingLeft: `${depth * 12 + 6}px` };
      const renaming = editing?.mode === 'rename' && editing.path === node.path;
      const row = renaming ? (
        <NameInput
          key={node.path}
          initial={node.path}
          problem={(v) => props.renameProblem(node.path, v)}
          onDone={(v) => (setEditing(null), v && v !== node.path && props.onRename(node.path, v))}
        />
      ) : (
        <div
          className={`tree-row${node.path === active ? ' active' : ''}`}
          style={pad}
          draggable
          onDragStart={(e) => e.dataTransfer.setData('text/x-patchpad-path', node.path)}
          {...(node.kind === 'folder' ? { onDragOver: (e: DragEvent) => e.preventDefault(), onDrop: drop(node.path) } : {})}
        >
          <button
            type="button"
            className="tree-item"
            title={node.path}
            aria-current={node.path === active ? 'true' : undefined}
            aria-expanded={node.kind === 'folder' ? !collapsed.has(node.path) : undefined}
            onClick={() => (node.kind === 'folder' ? toggle(node.path) : props.onOpen(node.path))}
          >
            {node.kind === 'folder' ? (
              <span className="icon folder">{collapsed.has(node.path) ? '▸' : '▾'}</span>
            ) : (
              <span className="icon" style={{ color: fileIcon(node.path).color }} aria-label={fileIcon(node.path).label}>
                {fileIcon(node.path).glyph}
              </span>
            )}
            <span className="tree-name">{node.name}</span>
            {node.kind === 'file' && dirty.has(node.path) && (
              <span className="dirty" aria-label="unsaved" title="Unsaved changes">
                ●
              </span>
            )}
          </button>
          <span className="tree-actions">
            {node.kind === 'folder' && (
              <button
                type="button"
                className="link"
                title="New file in this folder"
                aria-label={`New file in ${node.path}`}
                onClick={() => setEditing({ mode: 'new-file', parent: node.path })}
              >
                +
              </button>
            )}
            <button
              type="button"
              className="link"
              title="Rename or move"
              aria-label={`Rename ${node.path}`}
              onClick={() => setEditing({ mode: 'rename', path: node.path, kind: node.kind })}
            >
              ✎
            </button>
            <button
              type="button"
              className="link danger"
              title="Delete"
              aria-label={`Delete ${node.path}`}
              onClick={() => props.onDelete(node.path, node.kind)}
            >
              ×
            </button>
          </span>
        </div>
      );
      return (
        <li key={node.path}>
          {row}
          {node.kind === 'folder' && !collapsed.has(node.path) && (
            <ul>
              {editing && editing.mode !== 'rename' && editing.parent === node.path && creating(editing, props, paths, setEditing)}
              {render(node.children, depth + 1)}
            </ul>
          )}
        </li>
      );
    });

  return (
    <nav className="filetree" aria-label="Files" onDragOver={(e) => e.preventDefault()} onDrop={drop('')}>
      <div className="tree-toolbar">
        <span className="muted small">FILES</span>
        <span className="spacer" />
        <button type="button" className="link" title="New file" aria-label="New file" onClick={() => setEditing({ mode: 'new-file', parent: '' })}>
          + File
        </button>
        <button type="button" className="link" title="New folder" aria-label="New folder" onClick={() => setEditing({ mode: 'new-folder', parent: '' })}>
          + Folder
        </button>
      </div>
      <ul>
        {editing && editing.mode !== 'rename' && editing.parent === '' && creating(editing, props, paths, setEditing)}
        {render(buildTree(paths, folders), 0)}
      </ul>
    </nav>
  );
}

function creating(editing: Editing & { parent: string }, props: TreeActions, paths: string[], setEditing: (e: Editing | null) => void) {
  const kind = editing.mode === 'new-folder' ? 'folder' : 'file';
  const prefix = editing.parent ? `${editing.parent}/` : '';
  return (
    <li>
      <NameInput
        initial={prefix}
        label={kind === 'folder' ? 'New folder path' : 'New file path'}
        problem={(v) => (kind === 'file' ? createProblem(v, paths) : pathProblem(v, paths))}
        onDone={(v) => {
          setEditing(null);
          if (v && v !== prefix) props.onCreate(v, kind);
        }}
      />
    </li>
  );
}

/** An inline path input: Enter commits if the path is valid (the reason shows otherwise), Escape cancels. */
function NameInput({
  initial,
  label = 'New path',
  problem,
  onDone,
}: {
  initial: string;
  label?: string;
  problem: (v: string) => string | null;
  onDone: (v: string | null) => void;
}) {
  const [value, setValue] = useState(initial);
  const why = value === initial ? null : problem(value);
  return (
    <div className="tree-input">
      <input
        aria-label={label}
        autoFocus
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !why) onDone(value);
          if (e.key === 'Escape') onDone(null);
        }}
        onBlur={() => onDone(null)}
        aria-invalid={why ? 'true' : undefined}
      />
      {why && (
        <span className="error small" role="alert">
          {why}
        </span>
      )}
    </div>
  );
}
