import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { createMemoryRouter, RouterProvider } from 'react-router';
import type { ClientConfig } from '@patchpad/shared';
import type { Api } from '../api/client';
import { AdminGate } from './AdminGate';
import { makeSession, SessionContext } from './session';
import { Topbar } from './Topbar';
import type { MeState } from './useMe';

const config = {
  firebase: { apiKey: 'k', authDomain: 'd', projectId: 'p' },
  authEmulatorUrl: null,
  previewUrl: null,
  models: [],
  defaultModel: null,
} as ClientConfig;
const me = (admin: boolean): MeState => ({ status: 'ok', me: { user: { uid: 'u1', email: 'ada@example.test', admin }, plan: 'free' } });

/** Renders a route's element for one session state, as the server would (no DOM needed). */
function render(state: MeState, element: React.ReactElement, path = '/admin/users'): string {
  const router = createMemoryRouter([{ path: '*', element }], { initialEntries: [path] });
  const session = makeSession({} as Api, config, 'ada@example.test', state, () => undefined);
  // React marks the boundary between adjacent text nodes with an empty comment; read the text as a person would.
  return renderToString(
    <SessionContext.Provider value={session}>
      <RouterProvider router={router} />
    </SessionContext.Provider>,
  ).replace(/<!-- -->/g, '');
}

describe('who sees the admin view', () => {
  it('shows the admin link to admins only, and only once the server has said so', () => {
    expect(render(me(true), <Topbar />)).toContain('href="/admin/users"');
    expect(render(me(false), <Topbar />)).not.toContain('/admin');
    expect(render({ status: 'loading' }, <Topbar />)).not.toContain('/admin');
    expect(render({ status: 'error', message: 'down' }, <Topbar />)).not.toContain('/admin');
  });

  it('answers a non-admin at an admin address with a clear refusal naming who is signed in', () => {
    const html = render(me(false), <AdminGate />);
    expect(html).toContain('You need the admin role');
    expect(html).toContain('ada@example.test');
    expect(html).toContain('role="alert"');
  });

  it('says what went wrong when the role cannot be checked (a disabled account, the API down)', () => {
    expect(render({ status: 'error', message: 'Your account was disabled by an administrator: left' }, <AdminGate />)).toContain(
      'Could not check your role: Your account was disabled by an administrator: left',
    );
    expect(render({ status: 'loading' }, <AdminGate />)).toContain('Checking your role');
  });

  it('loads the admin view for an admin (its chunk is lazy, so the first render is the fallback)', () => {
    const html = render(me(true), <AdminGate />);
    expect(html).not.toContain('You need the admin role');
    expect(html).toContain('Loading the admin view');
  });
});
