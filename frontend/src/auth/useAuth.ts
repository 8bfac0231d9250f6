import { useEffect, useMemo, useState } from 'react';
import { onIdTokenChanged, signOut, type Auth, type User } from 'firebase/auth';
import { createApi, type Api } from '../api/client';

export type AuthState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; user: User; api: Api; signOut: () => Promise<void> };

/** The signed-in user and an API client that always sends a fresh ID token. */
export function useAuth(auth: Auth): AuthState {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => onIdTokenChanged(auth, (u) => setUser(u)), [auth]);
  return useMemo<AuthState>(() => {
    if (user === undefined) return { status: 'loading' };
    if (user === null) return { status: 'signed-out' };
    // getIdToken() refreshes the token when it is near expiry.
    return { status: 'signed-in', user, api: createApi((fresh) => user.getIdToken(fresh)), signOut: () => signOut(auth) };
  }, [auth, user]);
}
