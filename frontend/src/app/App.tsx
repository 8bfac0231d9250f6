import { useEffect, useMemo, useState } from 'react';
import { RouterProvider } from 'react-router';
import type { ClientConfig } from '@patchpad/shared';
import type { Auth } from 'firebase/auth';
import { fetchClientConfig, type Api } from '../api/client';
import { firebaseAuth } from '../auth/firebase';
import { SignIn } from '../auth/SignIn';
import { useAuth } from '../auth/useAuth';
import { router } from './router';
import { makeSession, SessionContext } from './session';
import { useMe } from './useMe';

export function App() {
  const [config, setConfig] = useState<ClientConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetchClientConfig()
      .then(setConfig)
      .catch((err: Error) => setError(`Cannot reach the Patchpad API (${err.message}). Is the backend running?`));
  }, []);
  if (error)
    return (
      <p className="pad error" role="alert">
        {error}
      </p>
    );
  if (!config) return <p className="pad muted">Loading…</p>;
  return <Authenticated config={config} auth={firebaseAuth(config)} />;
}

/** Signed out, any URL shows the sign-in page and keeps the URL: after sign-in the link opens. */
function Authenticated({ config, auth }: { config: ClientConfig; auth: Auth }) {
  const state = useAuth(auth);
  if (state.status === 'loading') return <p className="pad muted">Loading…</p>;
  if (state.status === 'signed-out') return <SignIn auth={auth} emulator={config.authEmulatorUrl !== null} />;
  return <SignedIn config={config} api={state.api} email={state.user.email} signOut={state.signOut} />;
}

function SignedIn({ config, api, email, signOut }: { config: ClientConfig; api: Api; email: string | null; signOut: () => Promise<void> }) {
  const me = useMe(api);
  const session = useMemo(() => makeSession(api, config, email, me, () => void signOut()), [api, config, email, me, signOut]);
  return (
    <SessionContext.Provider value={session}>
      <RouterProvider router={router} />
    </SessionContext.Provider>
  );
}
