/**
 * The admin's allow/deny lists (PACKAGES_ALLOW, PACKAGES_DENY): exact names or a scope
 * wildcard (`@acme/*`). Deny wins; an empty allow list allows everything else. Applied to
 * the imported package and to every dependency it pulls in. Pure.
 */
export interface PackagePolicy {
  allow: readonly string[];
  deny: readonly string[];
}

const matches = (pattern: string, name: string) => (pattern.endsWith('/*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name);

/** Null when allowed, else the sentence the preview shows. */
export function refusalFor(policy: PackagePolicy, name: string, importedBy?: string): string | null {
  const via = importedBy && importedBy !== name ? ` (a dependency of ${importedBy})` : '';
  if (policy.deny.some((p) => matches(p, name))) return `Package "${name}"${via} is blocked by the administrator (PACKAGES_DENY).`;
  if (policy.allow.length > 0 && !policy.allow.some((p) => matches(p, name))) {
    return `Package "${name}"${via} is not on the administrator's list of allowed packages (PACKAGES_ALLOW).`;
  }
  return null;
}
