import { useState } from 'react';
import { Link } from 'react-router';
import type { ProjectMeta } from '@patchpad/shared';
import { useSession } from '../app/session';

type Props = { project: ProjectMeta; busy: boolean; updated: string; act: (what: string, fn: () => Promise<unknown>) => Promise<void> };

/** Saves a blob as a file the browser downloads. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One project in the list: open, rename in place, duplicate, export, delete. */
export function ProjectRow({ project, busy, updated, act }: Props) {
  const { projects: api } = useSession();
  const [renaming, setRenaming] = useState<string | null>(null);
  const submitRename = () => {
    const name = renaming?.trim();
    setRenaming(null);
    if (name && name !== project.name) void act('Renaming', () => api.rename(project.id, name));
  };
  return (
    <li className="project" data-project={project.id}>
      {renaming === null ? (
        <Link className="name" to={`/p/${project.id}`}>
          {project.name}
        </Link>
      ) : (
        <input
          aria-label={`New name for ${project.name}`}
          autoFocus
          value={renaming}
          maxLength={120}
          onChange={(e) => setRenaming(e.target.value)}
          onBlur={submitRename}
          onKeyDown={(e) => {
            if (e.key === 'Enter') submitRename();
            if (e.key === 'Escape') setRenaming(null);
          }}
        />
      )}
      <span className="muted small">updated {updated}</span>
      <span className="spacer" />
      <button type="button" className="link" disabled={busy} onClick={() => setRenaming(project.name)}>
        Rename
      </button>
      <button type="button" className="link" disabled={busy} onClick={() => void act('Duplicating', () => api.duplicate(project.id))}>
        Duplicate
      </button>
      <button
        type="button"
        className="link"
        disabled={busy}
        onClick={() => void act('Exporting', async () => downloadBlob(await api.exportZip(project.id), `${project.name}.zip`))}
      >
        Export
      </button>
      <button type="button" className="link danger" disabled={busy} onClick={() => void act('Deleting', () => api.remove(project.id))}>
        Delete
      </button>
    </li>
  );
}
