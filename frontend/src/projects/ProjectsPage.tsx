import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { ProjectMeta, SkippedEntry, TrashedProject } from '@patchpad/shared';
import { Topbar } from '../app/Topbar';
import { useSession } from '../app/session';
import { ProjectRow } from './ProjectRow';
import './projects.css';

/** Template choices (the server holds their files). */
const TEMPLATES = [
  { id: 'react-ts', name: 'React + TypeScript' },
  { id: 'vanilla-js', name: 'Vanilla JavaScript' },
] as const;

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Home after sign-in: your projects, new ones from a template or an import, and the trash. */
export function ProjectsPage() {
  const { projects: api } = useSession();
  const navigate = useNavigate();
  const [projects, setProjects] = useState<ProjectMeta[] | null>(null);
  const [trash, setTrash] = useState<TrashedProject[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [template, setTemplate] = useState<(typeof TEMPLATES)[number]['id']>('react-ts');
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    const [list, trashed] = await Promise.all([api.list(), api.trash()]);
    setProjects(list);
    setTrash(trashed);
  }, [api]);

  useEffect(() => {
    refresh().catch((err: Error) => setError(`Could not load your projects: ${err.message}`));
  }, [refresh]);

  /** Runs an action, shows its failure, and reloads the lists. */
  const act = async (what: string, fn: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
      await refresh();
    } catch (err) {
      setError(`${what} failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const create = (event: FormEvent) => {
    event.preventDefault();
    void act('Creating the project', async () => {
      const snapshot = await api.create({ name: name.trim() || 'Untitled', template });
      navigate(`/p/${snapshot.project.id}`);
    });
  };

  const imported = (id: string, skipped: SkippedEntry[]) => {
    const notice = skipped.length > 0 ? `Imported. Skipped: ${skipped.map((s) => `${s.path} (${s.reason})`).join(', ')}` : 'Imported.';
    navigate(`/p/${id}`, { state: { notice } });
  };
  const importZip = (file: File) =>
    act('Importing the zip', async () => {
      const r = await api.importZip(file.name.replace(/\.zip$/i, '') || 'Imported project', file);
      imported(r.project.id, r.skipped);
    });
  const importFolder = (list: FileList) =>
    act('Importing the folder', async () => {
      const { readFolder } = await import('./readFolder');
      const folder = await readFolder(list);
      const r = await api.importFiles(folder.name, folder.files);
      imported(r.project.id, [...folder.skipped, ...r.skipped]);
    });

  return (
    <div className="page">
      <Topbar />
      <main className="projects">
        <section aria-label="New project" className="card">
          <h2>New project</h2>
          <form onSubmit={create} className="row wrap">
            <input aria-label="Project name" placeholder="Project name" value={name} onChange={(e) => setName(e.target.value)} maxLength={120} />
            <select aria-label="Template" value={template} onChange={(e) => setTemplate(e.target.value as typeof template)}>
              {TEMPLATES.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            <button type="submit" disabled={busy}>
              Create
            </button>
            <span className="muted small">or import</span>
            <label className="button secondary">
              a zip
              <input type="file" accept=".zip,application/zip" hidden onChange={(e) => e.target.files?.[0] && void importZip(e.target.files[0])} />
            </label>
            <label className="button secondary">
              a folder
              <input
                type="file"
                hidden
                // @ts-expect-error -- non-standard but supported by every current browser
                webkitdirectory=""
                onChange={(e) => e.target.files && e.target.files.length > 0 && void importFolder(e.target.files)}
              />
            </label>
          </form>
        </section>
        {error && (
          <p className="banner error" role="alert">
            {error}
          </p>
        )}
        <section aria-label="Your projects">
          <h2>Your projects</h2>
          {projects === null ? (
            <p className="muted">Loading…</p>
          ) : projects.length === 0 ? (
            <p className="muted">No projects yet: create one above.</p>
          ) : (
            <ul className="project-list">
              {projects.map((p) => (
                <ProjectRow key={p.id} project={p} busy={busy} act={act} updated={when(p.updatedAt)} />
              ))}
            </ul>
          )}
        </section>
        {trash.length > 0 && (
          <section aria-label="Trash">
            <h2>Trash</h2>
            <p className="muted small">Deleted projects stay here for 30 days, then they are deleted for good.</p>
            <ul className="project-list">
              {trash.map((p) => (
                <li key={p.id} className="project">
                  <span className="name">{p.name}</span>
                  <span className="muted small">
                    deleted {when(p.deletedAt)} · removed for good {when(p.purgeAt)}
                  </span>
                  <span className="spacer" />
                  <button type="button" className="secondary" disabled={busy} onClick={() => void act('Restoring', () => api.restore(p.id))}>
                    Restore
                  </button>
                  <button
                    type="button"
                    className="secondary danger"
                    disabled={busy}
                    onClick={() => window.confirm(`Delete “${p.name}” for good? This cannot be undone.`) && void act('Deleting', () => api.purge(p.id))}
                  >
                    Delete forever
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </main>
    </div>
  );
}
