import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { Topbar } from './Topbar';
import { useSession } from './session';

// The admin view (its pages, charts and clients) is its own chunk: only admins ever load it.
const AdminApp = lazy(() => import('../admin/AdminApp'));

/** /admin/*: the admin view for admins, a clear refusal for everyone else (the API answers 403 too). */
export function AdminGate() {
  const { me } = useSession();
  if (me.status === 'loading') return <Shell>Checking your role…</Shell>;
  if (me.status === 'error')
    return (
      <Shell>
        <span className="error" role="alert">
          Could not check your role: {me.message}
        </span>
      </Shell>
    );
  if (!me.me.user.admin)
    return (
      <div className="page">
        <Topbar />
        <main className="pad forbidden" role="alert" aria-labelledby="forbidden-title">
          <h1 id="forbidden-title">You need the admin role</h1>
          <p>
            This page is for Patchpad administrators. You are signed in as <strong>{me.me.user.email ?? me.me.user.uid}</strong>, who does not have the admin
            role.
          </p>
          <p className="muted">An administrator can grant it from Admin → Users; sign out and in again afterwards.</p>
          <Link to="/">Back to your projects</Link>
        </main>
      </div>
    );
  return (
    <Suspense fallback={<Shell>Loading the admin view…</Shell>}>
      <AdminApp />
    </Suspense>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <div className="page">
      <Topbar />
      <p className="pad muted">{children}</p>
    </div>
  );
}
