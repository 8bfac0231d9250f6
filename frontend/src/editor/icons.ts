/** A small glyph per file type, for the tree and the tabs (text, so no icon font to load). */
const BY_EXTENSION: Record<string, { glyph: string; label: string; color: string }> = {
  ts: { glyph: 'TS', label: 'TypeScript', color: '#3178c6' },
  tsx: { glyph: 'TSX', label: 'TypeScript React', color: '#3178c6' },
  js: { glyph: 'JS', label: 'JavaScript', color: '#d8b400' },
  jsx: { glyph: 'JSX', label: 'JavaScript React', color: '#d8b400' },
  mjs: { glyph: 'JS', label: 'JavaScript module', color: '#d8b400' },
  css: { glyph: '#', label: 'CSS', color: '#a86ee0' },
  html: { glyph: '<>', label: 'HTML', color: '#e4572e' },
  json: { glyph: '{}', label: 'JSON', color: '#8a9a5b' },
  md: { glyph: 'M↓', label: 'Markdown', color: '#8b93a7' },
  svg: { glyph: 'SVG', label: 'SVG', color: '#ffb13b' },
};
const FILE = { glyph: '•', label: 'File', color: '#8b93a7' };

export function fileIcon(path: string): { glyph: string; label: string; color: string } {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  return BY_EXTENSION[ext] ?? FILE;
}
