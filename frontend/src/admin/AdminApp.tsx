import { useMemo } from 'react';
import { Link, Navigate, NavLink, Route, Routes } from 'react-router';
import { adminApi } from '../api/admin';
import { Topbar } from '../app/Topbar';
import { useSession } from '../app/session';
import { AuditPage } from './audit/AuditPage';
import { AdminApiContext } from './context';
import { HealthPage } from './health/HealthPage';
import { ModelsPage } from './models/ModelsPage';
import { TasksPage } from './tasks/TasksPage';
import { UsagePage } from './usage/UsagePage';
import { UsersPage } from './users/UsersPage';
import './admin.css';

const PAGES = [
  { path: 'users', label: 'Users', element: <UsersPage /> },
  { path: 'usage', label: 'Usage', element: <UsagePage /> },
  { path: 'audit', label: 'Audit log', element: <AuditPage /> },
  { path: 'health', label: 'Health', element: <HealthPage /> },
  { path: 'tasks', label: 'Tasks', element: <TasksPage /> },
  { path: 'models', label: 'Models', element: <ModelsPage /> },
];

/**
 * The admin view, under /admin/*: one page per concern, each with its own URL. Reached only
 * through AdminGate, which has checked the role; the API checks it again on every call.
 */
export default function AdminApp() {
  const { api } = useSession();
  const admin = useMemo(() => adminApi(api), [api]);
  return (
    <AdminApiContext.Provider value={admin}>
      <div className="page admin">
        <Topbar>
          <span className="crumb">/</span>
          <strong>Admin</strong>
          <nav className="admin-nav" aria-label="Admin">
            {PAGES.map((p) => (
              <NavLink key={p.path} to={`/admin/${p.path}`}>
                {p.label}
              </NavLink>
            ))}
          </nav>
        </Topbar>
        <div className="admin-body">
          <Routes>
            <Route index element={<Navigate to="users" replace />} />
            {PAGES.map((p) => (
              <Route key={p.path} path={p.path} element={p.element} />
            ))}
            <Route
              path="*"
              element={
                <main className="pad">
                  <h1>Not found</h1>
                  <p className="muted">There is no admin page at this address.</p>
                  <Link to="/admin/users">Users</Link>
                </main>
              }
            />
          </Routes>
        </div>
      </div>
    </AdminApiContext.Provider>
  );
}
