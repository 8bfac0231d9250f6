import { useEffect, useState } from 'react';

/**
 * One origin per project: the preview URL pattern's `*` label becomes a hash of the
 * project id (`http://*.preview.localhost:5174` → `http://3f…9a.preview.localhost:5174`),
 * so one project's preview can never read what another stored (localStorage, IndexedDB,
 * cookies are per origin). A pattern without `*` is one shared origin (legacy setups).
 */

export function previewUrlFor(pattern: string, key: string): string {
  return pattern.replace('*', key);
}

/** 32 hex characters of SHA-256 over the project id: a valid DNS label, stable per project. */
export async function projectPreviewKey(projectId: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`patchpad-preview\0${projectId}`));
  return Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The project's own preview URL; null while it is being computed (one hash, under a ms). */
export function useProjectPreviewUrl(pattern: string | null, projectId: string): string | null {
  const [url, setUrl] = useState<{ for: string; url: string } | null>(null);
  const id = `${pattern ?? ''}\0${projectId}`;
  useEffect(() => {
    if (!pattern) return;
    let live = true;
    void projectPreviewKey(projectId).then((key) => {
      if (live) setUrl({ for: id, url: previewUrlFor(pattern, key) });
    });
    return () => {
      live = false;
    };
  }, [id, pattern, projectId]);
  return pattern && url?.for === id ? url.url : null;
}
