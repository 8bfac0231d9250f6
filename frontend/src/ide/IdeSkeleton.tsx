/** What shows while the IDE's code (Monaco, the preview) loads: the layout, greyed. */
export function IdeSkeleton() {
  return (
    <div className="page" aria-busy="true" aria-label="Loading the editor">
      <header className="topbar">
        <span className="brand">Patchpad</span>
      </header>
      <div className="ide-skeleton">
        <div className="skeleton" />
        <div className="skeleton" />
        <div className="skeleton" />
      </div>
    </div>
  );
}
