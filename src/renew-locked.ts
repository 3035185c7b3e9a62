import { AuthError, isAuthError, isUserRefusal } from './errors.js';
import { withTabLock } from './lock.js';
import { needsRenew, type RenewDeps } from './renew.js';
import type { SessionRecord } from './store.js';

const refused = (cause: AuthError): AuthError => new AuthError('login_required', 'the refresh token was refused: sign in again', { cause });

/**
 * One renew, under the lock every tab of this client shares (part of the lazy engine: a renew
 * needs it anyway). `startedWith` is the `updatedAt` of the session when the caller asked.
 */
export function renewLocked(d: RenewDeps, force: boolean, startedWith: number): Promise<SessionRecord> {
  return withTabLock(d.lockName, async () => {
    const mine = d.current();
    if (!mine) throw new AuthError('login_required', 'not signed in');
    if (d.endedElsewhere()) {
      d.end('other_tab', new AuthError('login_required', 'signed out in another tab'));
      throw new AuthError('login_required', 'signed out in another tab');
    }
    // Another tab may have renewed while this one waited for the lock (its record came through
    // storage or the channel). Its tokens, and with rotation its refresh token, are the newest:
    // use them rather than spend a refresh token again.
    const newest = [mine, ...d.othersRecords()]
      .filter((r): r is SessionRecord => !!r && r.sub === mine.sub)
      .reduce((a, b) => (b.updatedAt > a.updatedAt ? b : a));
    try {
      if (!force && newest.updatedAt > startedWith && !needsRenew(newest, d.cfg)) {
        if (newest !== mine) d.adopt(newest);
        return newest;
      }
      if (!newest.refreshToken) throw new AuthError('login_required', 'the session has no refresh token to renew with');
      if (globalThis.navigator?.onLine === false) throw new AuthError('network_error', 'the browser is offline');
      const next = await d.grant(newest);
      d.adopt(next);
      return next;
    } catch (e) {
      // End a refused session while still holding the lock, so that a tab waiting for it finds
      // the session gone instead of sending the same dead refresh token again.
      if (isAuthError(e) && e.oauthError === 'invalid_grant') throw (d.end('invalid_grant', refused(e)), refused(e));
      if (isAuthError(e, 'id_token_invalid')) d.end('id_token_invalid', e);
      if (isUserRefusal(e)) {
        d.end('user_refused', e as AuthError);
        throw new AuthError('login_required', `the renewed session is refused: ${(e as AuthError).message}`, { cause: e });
      }
      throw e;
    }
  });
}
