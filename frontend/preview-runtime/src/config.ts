import { isOrigin } from './protocol';

/**
 * Deployment settings the preview server writes into the page as
 * `<script type="application/json" id="pp-config">` (never executed).
 */
export interface RuntimeConfig {
  /** When set, only these IDE origins may register with the runtime. */
  allowedParentOrigins: string[] | null;
}

export function readConfig(doc: Document): RuntimeConfig {
  const text = doc.getElementById('pp-config')?.textContent ?? '';
  return parseConfig(text);
}

export function parseConfig(text: string): RuntimeConfig {
  let raw: unknown;
  try {
    raw = text.trim() === '' ? null : JSON.parse(text);
  } catch {
    raw = null;
  }
  const origins = (raw as { allowedParentOrigins?: unknown } | null)?.allowedParentOrigins;
  const list = Array.isArray(origins) ? origins.filter((o): o is string => typeof o === 'string' && isOrigin(o)) : [];
  return { allowedParentOrigins: list.length > 0 ? list : null };
}
