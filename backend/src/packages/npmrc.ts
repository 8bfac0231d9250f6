import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where preview packages come from, read the way npm reads it: PACKAGES_REGISTRY, else
 * `npm_config_registry`, else `registry=` from the .npmrc files (PACKAGES_NPMRC, then
 * the process's ./.npmrc, then ~/.npmrc), else the public registry. Scoped registries
 * (`@scope:registry=`) and per-host tokens (`//host/path/:_authToken=`) are honoured;
 * `${VAR}` in a value is taken from the environment, as npm does.
 */

export const PUBLIC_REGISTRY = 'https://registry.npmjs.org/';

export interface RegistrySettings {
  registry: string;
  /** `@scope` → registry URL (ending in `/`). */
  scopes: Record<string, string>;
  /** `//host/path/` (npm's "nerf dart") → bearer token. */
  tokens: Record<string, string>;
}

export interface NpmrcValues {
  registry?: string;
  scopes: Record<string, string>;
  tokens: Record<string, string>;
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** Parses one .npmrc text. Pure; unknown keys are ignored. */
export function parseNpmrc(text: string, env: Record<string, string | undefined>): NpmrcValues {
  const out: NpmrcValues = { scopes: {}, tokens: {} };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    value = value.replace(/\$\{([^}]+)\}/g, (_m, name: string) => env[name] ?? '');
    if (key === 'registry') out.registry = withSlash(value);
    else if (/^@[^:]+:registry$/.test(key)) out.scopes[key.slice(0, key.indexOf(':'))] = withSlash(value);
    else if (key.startsWith('//') && key.endsWith(':_authToken')) out.tokens[withSlash(key.slice(0, -':_authToken'.length))] = value;
  }
  return out;
}

/** Combines the sources, first one wins for each setting. Pure. */
export function registrySettings(explicit: string | undefined, env: Record<string, string | undefined>, files: NpmrcValues[]): RegistrySettings {
  const scopes: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  for (const file of [...files].reverse()) {
    Object.assign(scopes, file.scopes);
    Object.assign(tokens, file.tokens);
  }
  const fromFiles = files.find((f) => f.registry)?.registry;
  const registry = withSlash(explicit ?? env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY ?? fromFiles ?? PUBLIC_REGISTRY);
  return { registry, scopes, tokens };
}

/** Reads the .npmrc files that exist, most specific first. */
export async function loadRegistrySettings(
  explicit: string | undefined,
  npmrcPath: string | undefined,
  env: Record<string, string | undefined>,
): Promise<RegistrySettings> {
  const paths = [npmrcPath, join(process.cwd(), '.npmrc'), env.NPM_CONFIG_USERCONFIG ?? join(homedir(), '.npmrc')].filter((p): p is string => !!p);
  const files: NpmrcValues[] = [];
  for (const path of paths) {
    const text = await readFile(path, 'utf8').catch(() => null);
    if (text !== null) files.push(parseNpmrc(text, env));
  }
  return registrySettings(explicit, env, files);
}

/** The registry for a package name (its scope's, else the default). */
export function registryFor(settings: RegistrySettings, name: string): string {
  if (name.startsWith('@')) return settings.scopes[name.slice(0, name.indexOf('/'))] ?? settings.registry;
  return settings.registry;
}

/** The token for a URL: the longest `//host/path/` prefix that has one. */
export function tokenFor(settings: RegistrySettings, url: string): string | null {
  const parsed = new URL(url);
  const key = `//${parsed.host}${parsed.pathname}`;
  let best: string | null = null;
  let length = -1;
  for (const [prefix, token] of Object.entries(settings.tokens)) {
    if (key.startsWith(prefix) && prefix.length > length) {
      best = token;
      length = prefix.length;
    }
  }
  return best;
}
