import { fileIcon } from '../editor/icons';

/** Open files; a dot marks unsaved ones; middle-click or × closes. */
export function Tabs({
  tabs,
  active,
  dirty,
  onOpen,
  onClose,
}: {
  tabs: string[];
  active: string;
  dirty: ReadonlySet<string>;
  onOpen: (p: string) => void;
  onClose: (p: string) => void;
}) {
  return (
    <nav className="tabs" aria-label="Open files">
      {tabs.map((path) => (
        <div key={path} className={path === active ? 'tab active' : 'tab'} onAuxClick={(e) => e.button === 1 && onClose(path)}>
          <button type="button" className="tab-open" onClick={() => onOpen(path)} title={path} aria-current={path === active ? 'page' : undefined}>
            <span className="icon" style={{ color: fileIcon(path).color }}>
              {fileIcon(path).glyph}
            </span>{' '}
            {path.slice(path.lastIndexOf('/') + 1)}
            {dirty.has(path) && (
              <span className="dirty" aria-label="unsaved">
                {' '}
                ●
              </span>
            )}
          </button>
          <button type="button" className="tab-close" aria-label={`Close ${path}`} onClick={() => onClose(path)}>
            ×
          </button>
        </div>
      ))}
    </nav>
  );
}
