import semver from 'semver';

/**
 * Picks the version of a package for a range, as npm does: a dist-tag names its version;
 * otherwise the `latest` tag when it satisfies the range, else the highest satisfying
 * version. Pure. Ranges npm would take from elsewhere (git, URLs, files, workspaces) are
 * refused with a reason.
 */

export interface VersionChoice {
  version: string | null;
  /** Why there is none, for the message the preview shows. */
  reason?: string;
}

export function pickVersion(versions: readonly string[], tags: Readonly<Record<string, string>>, range: string): VersionChoice {
  const spec = range.trim() === '' ? 'latest' : range.trim();
  if (/^(git|github:|https?:|file:|link:|workspace:|npm:)/.test(spec) || spec.includes('/')) {
    return { version: null, reason: `"${spec}" is not a registry version; the preview can load registry versions only (a semver range or a dist-tag)` };
  }
  const tagged = tags[spec];
  if (tagged !== undefined)
    return versions.includes(tagged)
      ? { version: tagged }
      : { version: null, reason: `dist-tag "${spec}" points at ${tagged}, which the registry does not list` };
  const valid = semver.validRange(spec, { loose: true });
  if (valid === null) return { version: null, reason: `"${spec}" is neither a semver range nor a dist-tag of this package` };
  const latest = tags.latest;
  if (latest !== undefined && versions.includes(latest) && semver.satisfies(latest, valid, { loose: true })) return { version: latest };
  const best = semver.maxSatisfying([...versions], valid, { loose: true });
  return best ? { version: best } : { version: null, reason: `no published version matches "${spec}"` };
}
