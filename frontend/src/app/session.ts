import { createContext, useContext } from 'react';
import type { ClientConfig } from '@patchpad/shared';
import type { Api } from '../api/client';
import { projectsApi, type ProjectsApi } from '../api/projects';

/** The signed-in user's session, for every page under the router. */
export type Session = { api: Api; projects: ProjectsApi; config: ClientConfig; email: string | null; signOut: () => void };

export const SessionContext = createContext<Session | null>(null);

export function makeSession(api: Api, config: ClientConfig, email: string | null, signOut: () => void): Session {
  return { api, projects: projectsApi(api), config, email, signOut };
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
