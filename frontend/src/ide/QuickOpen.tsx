import { useMemo, useState } from 'react';
import { fileIcon } from '../editor/icons';

/** Paths matching `query` as a subsequence, best first (a match in the file name beats one in the folders). */
export function rankPaths(paths: readonly string[], query: string): string[] {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return [...paths].sort();
  const score = (path: string): number | null => {
    const p = path.toLowerCase();
    let at = -1;
    let gaps = 0;
    for (const ch of q) {
      const next = p.indexOf(ch, at + 1);
      if (next === -1) return null;
      gaps += next - at - 1;
      at = next;
    }
    const name = p.slice(p.lastIndexOf('/') + 1);
    return gaps + (name.includes(q) ? -100 : 0) + path.length / 100;
  };
  return paths
    .map((p) => [p, score(p)] as const)
    .filter((x): x is readonly [string, number] => x[1] !== null)
    .sort((a, b) => a[1] - b[1])
    .map(([p]) => p);
}

/** Ctrl/Cmd+P: type part of a path, Enter opens the first match (arrows pick another). */
export function QuickOpen({ paths, onOpen, onClose }: { paths: string[]; onOpen: (path: string) => void; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const matches = useMemo(() => rankPaths(paths, query).slice(0, 50), [paths, query]);
  return (
    <div className="overlay" onClick={onClose}>
      <div className="quick-open" role="dialog" aria-label="Open a file" onClick={(e) => e.stopPropagation()}>
        <input
          autoFocus
          aria-label="File name"
          placeholder="Type a file name"
          value={query}
          onChange={(e) => (setQuery(e.target.value), setIndex(0))}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onClose();
            if (e.key === 'ArrowDown') setIndex((i) => Math.min(matches.length - 1, i + 1));
            if (e.key === 'ArrowUp') setIndex((i) => Math.max(0, i - 1));
            if (e.key === 'Enter' && matches[index]) onOpen(matches[index]);
          }}
        />
        <ul role="listbox">
          {matches.map((p, i) => (
            <li key={p} role="option" aria-selected={i === index} className={i === index ? 'active' : ''} onMouseDown={() => onOpen(p)}>
              <span className="icon" style={{ color: fileIcon(p).color }}>
                {fileIcon(p).glyph}
              </span>{' '}
              {p}
            </li>
          ))}
          {matches.length === 0 && <li className="muted">No file matches</li>}
        </ul>
      </div>
    </div>
  );
}
