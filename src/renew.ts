import type { NormalizedConfig } from './config.js';
import { withTabLock } from './crosstab.js';
import { AuthError, isAuthError } from './errors.js';
import type { SessionRecord } from './store.js';
import type { AuthEventMap, SignOutReason } from './types.js';

/** What the renewer needs from the client; it owns no tokens itself. */
export interface RenewDeps {
  cfg: NormalizedConfig;
  lockName: string;
  current(): SessionRecord | null;
  /** True when storage is shared and another tab has removed the session (signed out, refused). */
  endedElsewhere(): boolean;
  /** Records other tabs may have written or sent while this one waited for the lock. */
  othersRecords(): Array<SessionRecord | null>;
  /** The refresh grant plus verification: a new record, or an AuthError. */
  grant(base: SessionRecord): Promise<SessionRecord>;
  /** Store and publish renewed tokens (emits `tokensRenewed`). */
  adopt(record: SessionRecord): void;
  end(reason: SignOutReason, error: AuthError): void;
  emit(event: 'renewFailed', payload: AuthEventMap['renewFailed']): void;
}

const MAX_RETRIES = 6;
const POLL_MS = 30_000; // wake at least this often so a sleeping laptop catches up on the wall clock

const nowS = (): number => Math.floor(Date.now() / 1000);
const refused = (cause: AuthError): AuthError => new AuthError('login_required', 'the refresh token was refused: sign in again', { cause });
export const sessionEnd = (r: SessionRecord, cfg: NormalizedConfig): number => (r.authTime ?? Math.floor(r.updatedAt / 1000)) + cfg.sessionExpiry;
export const needsRenew = (r: SessionRecord, cfg: NormalizedConfig): boolean => r.expiresAt - nowS() <= cfg.renewLeadTime;
const offline = (): boolean => globalThis.navigator?.onLine === false;

/**
 * Renews the session with the refresh token: one request at a time in this tab (shared promise)
 * and across tabs (a lock), before expiry by a wall-clock timer, with bounded back-off on
 * transient faults. Only `invalid_grant` or a refused ID token ends the session.
 */
export function createRenewer(d: RenewDeps) {
  let inflight: Promise<SessionRecord> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let retryAt = 0;
  const { cfg } = d;

  const once = (force: boolean): Promise<SessionRecord> => {
    const startedWith = d.current()?.updatedAt ?? 0;
    return (inflight ??= withTabLock(d.lockName, async () => {
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
      if (!force && newest.updatedAt > startedWith && !needsRenew(newest, cfg)) {
        if (newest !== mine) d.adopt(newest);
        return newest;
      }
      if (!newest.refreshToken) throw new AuthError('login_required', 'the session has no refresh token to renew with');
      if (offline()) throw new AuthError('network_error', 'the browser is offline');
      let next: SessionRecord;
      try {
        next = await d.grant(newest);
      } catch (e) {
        // End a refused session while still holding the lock, so that a tab waiting for it finds
        // the session gone instead of sending the same dead refresh token again.
        if (e instanceof AuthError && e.oauthError === 'invalid_grant') d.end('invalid_grant', refused(e));
        throw e;
      }
      d.adopt(next);
      return next;
    }).finally(() => {
      inflight = null;
    }));
  };

  async function renew(force: boolean): Promise<SessionRecord> {
    try {
      const r = await once(force);
      failures = 0;
      retryAt = 0;
      return r;
    } catch (e) {
      const err = e instanceof AuthError ? e : new AuthError('network_error', 'renew failed', { cause: e });
      if (err.oauthError === 'invalid_grant') throw refused(err); // the session was ended under the lock
      if (isAuthError(err, 'id_token_invalid')) d.end('id_token_invalid', err);
      else if (!isAuthError(err, 'login_required', 'session_expired')) {
        failures++;
        const willRetry = failures <= MAX_RETRIES;
        retryAt = Date.now() + Math.min(5_000 * 2 ** (failures - 1), 300_000);
        d.emit('renewFailed', { error: err, willRetry });
      }
      throw err;
    } finally {
      schedule();
    }
  }

  /** Check the wall clock: end an expired session, renew a token that is due. */
  function tick(): void {
    const r = d.current();
    if (!r) return;
    if (nowS() >= sessionEnd(r, cfg)) {
      d.end('session_expired', new AuthError('session_expired', 'the session is older than sessionExpiry: sign in again'));
      return;
    }
    if (!r.refreshToken && nowS() >= r.expiresAt) {
      d.end('token_expired', new AuthError('login_required', 'the access token expired and there is no refresh token'));
      return;
    }
    if (r.refreshToken && cfg.silentRenew && failures <= MAX_RETRIES && needsRenew(r, cfg) && Date.now() >= retryAt && !inflight) {
      renew(false).catch(() => undefined); // reported through events and state; renew() schedules again
      return;
    }
    schedule();
  }

  /** Wake at the next thing due (session end, expiry, renew or retry), and at least every POLL_MS. */
  function schedule(): void {
    clearTimeout(timer);
    const r = d.current();
    if (!r) return;
    const renewAt = !r.refreshToken
      ? r.expiresAt * 1000
      : cfg.silentRenew && failures <= MAX_RETRIES
        ? Math.max((r.expiresAt - cfg.renewLeadTime) * 1000, retryAt)
        : Infinity; // retries spent: wait for online / visibility / a getAccessToken() call
    const at = Math.min(sessionEnd(r, cfg) * 1000, renewAt);
    // At least 1 s: a renew already in flight must not turn the timer into a busy loop.
    timer = setTimeout(tick, Math.min(Math.max(at - Date.now(), 1000), POLL_MS));
  }

  const wake = (): void => {
    if (globalThis.document?.visibilityState !== 'hidden') {
      retryAt = 0; // back online or back to the tab: try now
      failures = Math.min(failures, MAX_RETRIES);
      tick();
    }
  };
  globalThis.addEventListener?.('online', wake);
  globalThis.document?.addEventListener?.('visibilitychange', wake);

  return {
    renew,
    schedule,
    stop(): void {
      clearTimeout(timer);
      globalThis.removeEventListener?.('online', wake);
      globalThis.document?.removeEventListener?.('visibilitychange', wake);
    },
  };
}
