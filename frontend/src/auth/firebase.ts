import { initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';
import type { ClientConfig } from '@patchpad/shared';

let cached: { app: FirebaseApp; auth: Auth } | null = null;

/** Firebase Auth from the server's client config: the emulator locally, a real project in production. */
export function firebaseAuth(config: ClientConfig): Auth {
  if (cached) return cached.auth;
  const app = initializeApp(config.firebase);
  const auth = getAuth(app);
  if (config.authEmulatorUrl) connectAuthEmulator(auth, config.authEmulatorUrl, { disableWarnings: true });
  cached = { app, auth };
  return auth;
}
