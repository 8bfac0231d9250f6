import { getApps } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';

/** Grants or revokes the `admin` custom claim; users see it on their next token refresh. */
export interface RoleManager {
  setAdmin(uid: string, admin: boolean): Promise<void>;
}

/** Custom claims through firebase-admin (the Auth emulator supports them too). */
export function firebaseRoles(projectId: string): RoleManager {
  return {
    async setAdmin(uid, admin) {
      const app = getApps().find((a) => a.name === `patchpad-${projectId}`);
      if (!app) throw new Error('the Firebase app is not initialised (createFirebaseVerifier makes it)');
      const auth = getAuth(app);
      const user = await auth.getUser(uid);
      await auth.setCustomUserClaims(uid, { ...(user.customClaims ?? {}), admin });
    },
  };
}
