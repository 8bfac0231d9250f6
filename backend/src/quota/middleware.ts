import type { RequestHandler } from 'express';
import type { Account } from '@patchpad/shared';
import { AppError } from '../http/errors';
import type { AccountStore } from './accounts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      account?: Account;
    }
  }
}

/** After sign-in: loads the user's account, refuses a disabled one with 403, notes activity. */
export function requireActiveAccount(accounts: AccountStore): RequestHandler {
  return async (req, _res, next) => {
    const user = req.user!;
    const account = await accounts.get(user.uid);
    if (account.disabled) {
      const why = account.disabledReason ? `: ${account.disabledReason}` : '';
      return next(
        new AppError(403, 'account_disabled', `Your account has been disabled by an administrator${why}. Contact your administrator to have it enabled.`),
      );
    }
    req.account = account;
    // Awaited, so a user is on the admin's list once their first request has been answered
    // (an admin acting on them at once got a 404 while this write was still on its way). It
    // reaches Redis at most once per user and TOUCH_MS; every other call returns at once.
    await accounts.touch(user.uid, user.email, user.admin).catch((err: unknown) => req.log.debug({ err }, 'could not record activity'));
    next();
  };
}
