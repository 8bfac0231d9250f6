type Props = { paths: string[]; active: string; dirty: Set<string>; onOpen: (path: string) => void };

/** The project's files as an indented tree, folders first. */
export function FileTree({ paths, active, dirty, onOpen }: Props) {
  const sorted = [...paths].sort((a, b) => {
    const da = a.split('/').length;
    const db = b.split('/').length;
    const fa = a.slice(0, a.lastIndexOf('/') + 1);
    const fb = b.slice(0, b.lastIndexOf('/') + 1);
    return fa === fb ? a.localeCompare(b) : fa.localeCompare(fb) || da - db;
  });
  let lastFolder = '';
  return (
    <nav className="filetree" aria-label="Files">
      <ul>
        {sorted.map((path) => {
          const folder = path.slice(0, path.lastIndexOf('/') + 1);
          const name = path.slice(folder.length);
          const header = folder !== lastFolder && folder !== '' ? folder : null;
          lastFolder = folder;
          const depth = folder === '' ? 0 : folder.split('/').length - 1;
          return (
            <li key={path}>
              {header && (
                <div className="folder" style={{ paddingLeft: `${(depth - 1) * 12 + 8}px` }}>
                  {header}
                </div>
              )}
              <button
                type="button"
                className={path === active ? 'file active' : 'file'}
                style={{ paddingLeft: `${depth * 12 + 8}px` }}
                onClick={() => onOpen(path)}
                aria-current={path === active ? 'true' : undefined}
                title={path}
              >
                {name}
                {dirty.has(path) ? ' •' : ''}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
