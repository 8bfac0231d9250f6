/**
 * Encodes console arguments into the structured-clone-safe form sandpack-react's console
 * decodes (console-feed style): plain JSON stays as is, special values become
 * `{"@t": tag, data}`. Pure; bounded in depth, width and string length so a huge or
 * cyclic object can never stall the preview.
 */

const MAX_DEPTH = 4;
const MAX_KEYS = 100;
const MAX_STRING = 10_000;

type Encoded = string | number | boolean | null | Encoded[] | { [key: string]: Encoded };

const tagged = (tag: string, data?: Encoded): Encoded => (data === undefined ? { '@t': tag } : { '@t': tag, data });

function isElementLike(value: object): value is { tagName: string; innerHTML: string; attributes: ArrayLike<{ name: string; value: string }> } {
  const v = value as { nodeType?: unknown; tagName?: unknown; innerHTML?: unknown };
  return v.nodeType === 1 && typeof v.tagName === 'string' && typeof v.innerHTML === 'string';
}

function encodeNumber(n: number): Encoded {
  if (Number.isNaN(n)) return tagged('[[NaN]]');
  if (n === Infinity) return tagged('Arithmetic', 0);
  if (n === -Infinity) return tagged('Arithmetic', 1);
  if (Object.is(n, -0)) return tagged('Arithmetic', 2);
  return n;
}

function safeGet(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch (error) {
    return `[Thrown: ${error instanceof Error ? error.message : String(error)}]`;
  }
}

export function encodeConsoleValue(value: unknown, depth = 0, seen: Set<object> = new Set()): Encoded {
  switch (typeof value) {
    case 'string':
      return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
    case 'number':
      return encodeNumber(value);
    case 'boolean':
      return value;
    case 'undefined':
      return tagged('[[undefined]]');
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return tagged('Function', { name: value.name || 'anonymous', body: '' });
  }
  if (value === null) return null;
  const obj = value as object;
  // An invalid Date's time is NaN, which JSON would turn into null (a valid date, 1970).
  if (obj instanceof Date) return tagged('[[Date]]', encodeNumber(obj.getTime()));
  if (obj instanceof RegExp) return tagged('[[RegExp]]', { src: obj.source, flags: obj.flags });
  if (obj instanceof Error) {
    return tagged('[[Error]]', { name: obj.name, message: obj.message, stack: obj.stack ?? '' });
  }
  if (isElementLike(obj)) {
    const attributes: Record<string, Encoded> = {};
    for (const attr of Array.from(obj.attributes ?? [])) attributes[attr.name] = attr.value;
    return tagged('HTMLElement', { tagName: obj.tagName.toLowerCase(), innerHTML: obj.innerHTML.slice(0, MAX_STRING), attributes });
  }
  if (seen.has(obj)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(obj) ? `[Array(${obj.length})]` : '[Object]';
  seen.add(obj);
  try {
    const next = (v: unknown) => encodeConsoleValue(v, depth + 1, seen);
    if (obj instanceof Map) {
      const flat: Encoded[] = [];
      for (const [k, v] of [...obj].slice(0, MAX_KEYS)) flat.push(next(k), next(v));
      return tagged('[[Map]]', flat);
    }
    if (obj instanceof Set) return tagged('[[Set]]', [...obj].slice(0, MAX_KEYS).map(next));
    if (Array.isArray(obj)) {
      const items = obj.slice(0, MAX_KEYS).map(next);
      if (obj.length > MAX_KEYS) items.push(`… ${obj.length - MAX_KEYS} more`);
      return items;
    }
    const out: Record<string, Encoded> = {};
    const keys = Object.keys(obj);
    for (const key of keys.slice(0, MAX_KEYS)) out[key] = next(safeGet(obj, key));
    if (keys.length > MAX_KEYS) out['…'] = `${keys.length - MAX_KEYS} more keys`;
    return out;
  } finally {
    seen.delete(obj);
  }
}

/** Applies the `%s %d %i %f %o %O %c` substitutions of the first argument, like a browser console. */
export function formatArgs(args: readonly unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (typeof first !== 'string' || !first.includes('%') || rest.length === 0) return [...args];
  let index = 0;
  const text = first.replace(/%([sdifoOc%])/g, (whole, spec: string) => {
    if (spec === '%') return '%';
    if (index >= rest.length) return whole;
    const arg = rest[index++];
    if (spec === 'c') return '';
    if (spec === 'd' || spec === 'i') return String(Math.trunc(Number(arg)));
    if (spec === 'f') return String(Number(arg));
    if (spec === 's') return String(arg);
    try {
      return JSON.stringify(arg) ?? String(arg);
    } catch {
      return String(arg);
    }
  });
  return [text, ...rest.slice(index)];
}
