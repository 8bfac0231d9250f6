/**
 * What the IDE gives the preview for packages (no Sandpack here, so the IDE's own chunk
 * stays free of it): the service URL and a way to mint a capability for the project.
 */

export interface PreviewPackages {
  /** Absolute URL of the package service (`<api>/api/packages`). */
  url: string;
  /** A fresh capability for the project. */
  capability(): Promise<string>;
}

/** The IDE's package access for a project: capabilities from the API, reused until a minute before they expire. */
export function apiPackages(serviceUrl: string, mint: () => Promise<{ token: string; expiresAt: number }>): PreviewPackages {
  let current: { token: string; expiresAt: number } | null = null;
  return {
    url: serviceUrl,
    async capability() {
      if (!current || current.expiresAt - Date.now() < 60_000) current = await mint();
      return current.token;
    },
  };
}
