/** Creates a user in the Firebase Auth emulator and returns an ID token for it. */
export async function emulatorUser(
  email = `u${Date.now()}${Math.random().toString(36).slice(2, 8)}@example.test`,
  password = 'secret-pass',
): Promise<{ email: string; idToken: string; uid: string }> {
  const host = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  if (!host) throw new Error('FIREBASE_AUTH_EMULATOR_HOST is not set: run the tests with `npm test`, which starts the Auth emulator');
  const res = await fetch(`http://${host}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=any`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, returnSecureToken: true }),
  });
  if (!res.ok) throw new Error(`emulator signUp failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { idToken: string; localId: string };
  return { email, idToken: body.idToken, uid: body.localId };
}

/**
 * A user whose ID token carries the `admin` custom claim: set through the emulator's admin
 * endpoint (the emulator accepts the "owner" bearer), then signed in again for a fresh token.
 */
export async function emulatorAdmin(): Promise<{ email: string; idToken: string; uid: string }> {
  const user = await emulatorUser();
  const host = process.env.FIREBASE_AUTH_EMULATOR_HOST!;
  const project = process.env.FIREBASE_PROJECT_ID ?? 'demo-patchpad';
  const update = await fetch(`http://${host}/identitytoolkit.googleapis.com/v1/projects/${project}/accounts:update`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer owner' },
    body: JSON.stringify({ localId: user.uid, customAttributes: JSON.stringify({ admin: true }) }),
  });
  if (!update.ok) throw new Error(`emulator accounts:update failed: ${update.status} ${await update.text()}`);
  const signIn = await fetch(`http://${host}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=any`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: 'secret-pass', returnSecureToken: true }),
  });
  if (!signIn.ok) throw new Error(`emulator signIn failed: ${signIn.status} ${await signIn.text()}`);
  return { ...user, idToken: ((await signIn.json()) as { idToken: string }).idToken };
}
