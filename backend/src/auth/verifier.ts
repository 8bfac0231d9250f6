import { cert, getApps, initializeApp, type App } from 'firebase-admin/app';
import { getAuth, type DecodedIdToken } from 'firebase-admin/auth';
import type { AuthUser } from '../http/request-context';

export interface TokenVerifier {
  /** Resolves the user for a Firebase ID token; rejects when it is invalid, expired or revoked. */
  verify(idToken: string): Promise<AuthUser>;
}

export type FirebaseVerifierOptions = {
  projectId: string;
  adminEmails: string[];
  /** When set, firebase-admin reads FIREBASE_AUTH_EMULATOR_HOST from the environment. */
  emulatorHost?: string | undefined;
};

/**
 * Verifies ID tokens with firebase-admin: against Google's keys in production, or against the
 * Auth emulator when FIREBASE_AUTH_EMULATOR_HOST is set (config refuses that in production).
 */
export function createFirebaseVerifier(options: FirebaseVerifierOptions): TokenVerifier {
  if (options.emulatorHost) process.env.FIREBASE_AUTH_EMULATOR_HOST = options.emulatorHost;
  const app = firebaseApp(options.projectId);
  const auth = getAuth(app);
  const admins = new Set(options.adminEmails.map((e) => e.toLowerCase()));
  return {
    async verify(idToken) {
      const decoded: DecodedIdToken = await auth.verifyIdToken(idToken);
      const email = decoded.email ?? null;
      // ADMIN_EMAILS grants the role only to an address its owner proved: anyone can sign up
      // with any unverified address.
      const admin = decoded.admin === true || (email !== null && decoded.email_verified === true && admins.has(email.toLowerCase()));
      return { uid: decoded.uid, email, admin, expiresAt: decoded.exp * 1000 };
    },
  };
}

function firebaseApp(projectId: string): App {
  const name = `patchpad-${projectId}`;
  const existing = getApps().find((a) => a.name === name);
  if (existing) return existing;
  const credentialsJson = process.env.FIREBASE_SERVICE_ACCOUNT_JSON;
  return initializeApp(credentialsJson ? { projectId, credential: cert(JSON.parse(credentialsJson)) } : { projectId }, name);
}
