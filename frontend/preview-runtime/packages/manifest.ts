/**
 * The package cache's manifest, written by `build.ts` to `dist/packages/manifest.json`
 * (served no-cache) and read by the runtime. The bundles live in the versioned folder
 * `base` and never change once written (served immutable).
 */
export interface PackageManifest {
  formatVersion: 1;
  /** Hash of the builder version, the package list and their installed versions. */
  version: string;
  /** URL path of the versioned folder, ending in `/`, e.g. `/packages/3f2a…/`. */
  base: string;
  /** Installed packages in the cache: name → version. */
  packages: Record<string, string>;
  /** Import specifier (`react`, `react-dom/client`) → bundle file relative to `base`. */
  entries: Record<string, string>;
  /** Specifiers each bundle requires from other bundles, so they can be fetched together. */
  requires: Record<string, string[]>;
}

export const MANIFEST_PATH = '/packages/manifest.json';

/** How an admin adds a package; the runtime's error for a missing package ends with it. */
export function howToAddPackage(name: string): string {
  return (
    `The preview runs offline from Patchpad's package cache. An admin can add "${name}": ` +
    `install it in the frontend workspace (npm i -w frontend ${name}), add it to PREVIEW_PACKAGES ` +
    `(comma-separated) and rebuild the preview runtime (npm run build -w frontend, or restart the preview server).`
  );
}
