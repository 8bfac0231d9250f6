import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { isAdmin, useSession } from './session';

/** The bar on every page: home link, the page's own controls, the user. */
export function Topbar({ children }: { children?: ReactNode }) {
  const session = useSession();
  const { email, signOut } = session;
  return (
    <header className="topbar">
      <Link to="/" className="brand">
        Patchpad
      </Link>
      {children}
      <span className="spacer" />
      {isAdmin(session) && (
        <Link to="/admin/users" className="topbar-link">
          Admin
        </Link>
      )}
      <span className="muted small">{email}</span>
      <button type="button" className="secondary" onClick={signOut}>
        Sign out
      </button>
    </header>
  );
}
