/** Where a module names a specifier, and what a `.module.css` file exports. Pure. */

/** Line and column (1-based) of the first quoted occurrence of `specifier`. */
export function locateImport(source: string, specifier: string): { line: number; column: number } {
  let index = -1;
  for (const quote of ["'", '"', '`']) {
    index = source.indexOf(`${quote}${specifier}${quote}`);
    if (index >= 0) break;
  }
  if (index < 0) return { line: 1, column: 1 };
  const before = source.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/** `.module.css`: class names map to themselves (no scoping in the preview). */
export function cssModuleClasses(css: string): Record<string, string> {
  const classes: Record<string, string> = {};
  for (const match of css.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)) if (match[1]) classes[match[1]] = match[1];
  return classes;
}
