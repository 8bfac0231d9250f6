import { useEffect, useState } from 'react';
import type { ClientConfig } from '@patchpad/shared';
import { fetchClientConfig } from '../api/client';
import { firebaseAuth } from '../auth/firebase';
import { SignIn } from '../auth/SignIn';
import { useAuth } from '../auth/useAuth';
import { Workspace } from './Workspace';
import type { Auth } from 'firebase/auth';

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

function Authenticated({ config, auth }: { config: ClientConfig; auth: Auth }) {
  const session = useAuth(auth);
  if (session.status === 'loading') return <p className="pad muted">Loading…</p>;
  if (session.status === 'signed-out') return <SignIn auth={auth} emulator={config.authEmulatorUrl !== null} />;
  return <Workspace api={session.api} config={config} email={session.user.email} onSignOut={() => void session.signOut()} />;
}
