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
