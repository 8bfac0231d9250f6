import { createContext, useContext } from 'react';
import type { ClientConfig } from '@patchpad/shared';
import type { Api } from '../api/client';
import { projectsApi, type ProjectsApi } from '../api/projects';
import type { MeState } from './useMe';

/** The signed-in user's session, for every page under the router. */
export type Session = { api: Api; projects: ProjectsApi; config: ClientConfig; email: string | null; me: MeState; signOut: () => void };

export const SessionContext = createContext<Session | null>(null);

export function makeSession(api: Api, config: ClientConfig, email: string | null, me: MeState, signOut: () => void): Session {
  return { api, projects: projectsApi(api), config, email, me, signOut };
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/** True once the server confirmed the admin role; the admin link shows only then. */
export const isAdmin = (session: Session) => session.me.status === 'ok' && session.me.me.user.admin;
