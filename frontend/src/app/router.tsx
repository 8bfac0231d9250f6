import { lazy, Suspense } from 'react';
import { createBrowserRouter, Link, Outlet, useRouteError } from 'react-router';
import { ProjectsPage } from '../projects/ProjectsPage';
import { IdeSkeleton } from '../ide/IdeSkeleton';
import { AdminGate } from './AdminGate';

// The IDE (Monaco, Sandpack, the patch engine) is its own chunk: the project list never loads it.
const IdePage = lazy(() => import('../ide/IdePage'));

/**
 * The SPA's routes: every page has a URL that can be shared, bookmarked and reloaded.
 *   /               your projects (home after sign-in), with the trash
 *   /p/:projectId   a project in the IDE (?file=src/App.tsx opens that file)
 *   /admin/...      the admin view (users, usage, audit, health, tasks, models): its own chunk,
 *                   loaded only once the server confirmed the admin role
 */
export const router = createBrowserRouter([
  {
    path: '/',
    element: <Outlet />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <ProjectsPage /> },
      {
        path: 'p/:projectId',
        element: (
          <Suspense fallback={<IdeSkeleton />}>
            <IdePage />
          </Suspense>
        ),
      },
      { path: 'admin/*', element: <AdminGate /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

function NotFound() {
  return (
    <main className="pad">
      <h1>Not found</h1>
      <p className="muted">There is no page at this address.</p>
      <Link to="/">Your projects</Link>
    </main>
  );
}

function RouteError() {
  const error = useRouteError() as Error | undefined;
  return (
    <main className="pad" role="alert">
      <h1>Something went wrong</h1>
      <p className="error">{error?.message ?? String(error)}</p>
      <Link to="/">Your projects</Link>
    </main>
  );
}
