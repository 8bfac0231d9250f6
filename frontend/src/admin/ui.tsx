import type { ReactNode } from 'react';
import type { Cursor } from './useCursor';

/**
 * The three states every admin panel has besides its data: loading (first load only; a reload
 * keeps the old data on screen), the server's error, and nothing to show.
 */
export function LoadState({
  loading,
  error,
  empty,
  emptyText,
  children,
  onRetry,
}: {
  loading: boolean;
  error: string | null;
  empty: boolean;
  emptyText: string;
  children: ReactNode;
  onRetry?: () => void;
}) {
  return (
    <>
      {error && (
        <p className="admin-error" role="alert">
          {error}
          {onRetry && (
            <button type="button" className="link" onClick={onRetry}>
              Try again
            </button>
          )}
        </p>
      )}
      {loading && empty ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : empty ? (
        !error && <p className="muted empty">{emptyText}</p>
      ) : (
        children
      )}
    </>
  );
}

export function Badge({ tone, children, label }: { tone: 'ok' | 'bad' | 'warn' | 'neutral'; children: ReactNode; label?: string }) {
  return (
    <span className={`badge badge-${tone}`} aria-label={label}>
      {children}
    </span>
  );
}

export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {hint && <div className="muted small">{hint}</div>}
    </div>
  );
}

/**
 * Previous / next over cursor pages (the API's cursors are opaque; useCursor keeps the ones we
 * passed). `next` is the cursor of the page after this one, if there is one.
 */
export function Pager({ pages, next, busy }: { pages: Cursor; next: string | null | undefined; busy: boolean }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="secondary" onClick={pages.prev} disabled={pages.page === 0 || busy}>
        Previous
      </button>
      <span className="muted small">Page {pages.page + 1}</span>
      <button type="button" className="secondary" onClick={() => next && pages.next(next)} disabled={!next || busy}>
        Next
      </button>
    </nav>
  );
}
