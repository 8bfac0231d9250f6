import type { AuthUser } from '../http/request-context';
import type { TokenVerifier } from './verifier';

export type TokenCacheOptions = {
  /** Tokens remembered at most; the least recently used goes first. */
  max: number;
  /** How long a verified token is trusted without checking it again (never past its expiry). */
  ttlMs: number;
  now?: () => number;
};

/**
 * Remembers the tokens it verified. A client sends the same ID token with every request for
 * up to an hour, and a task alone is two (its POST and its event stream), so each request
 * paid a signature check — with the Auth emulator, an HTTP round trip to it. An ID token
 * cannot change, so a verified one stays valid until it expires: revocation is not checked
 * per request either way (firebase-admin checks it only when asked to, at a Firebase call
 * per request), and disabling a user is Patchpad's own flag, read on every request.
 *
 * Failures are never remembered (the failed sign-in limiter counts them), and concurrent
 * requests with a token not seen yet share one verification.
 */
export function cachedVerifier(inner: TokenVerifier, options: TokenCacheOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const verified = new Map<string, { user: AuthUser; until: number }>();
  const pending = new Map<string, Promise<AuthUser>>();
  return {
    async verify(idToken) {
      const hit = verified.get(idToken);
      if (hit) {
        verified.delete(idToken);
        if (hit.until > now()) {
          verified.set(idToken, hit);
          return hit.user;
        }
      }
      const inFlight = pending.get(idToken);
      if (inFlight) return inFlight;
      const check = inner.verify(idToken).then(
        (user) => {
          pending.delete(idToken);
          const at = now();
          const until = Math.min(at + options.ttlMs, user.expiresAt ?? Infinity);
          if (until > at) {
            verified.set(idToken, { user, until });
            if (verified.size > options.max) verified.delete(verified.keys().next().value!);
          }
          return user;
        },
        (err: unknown) => {
          pending.delete(idToken);
          throw err;
        },
      );
      pending.set(idToken, check);
      return check;
    },
  };
}
