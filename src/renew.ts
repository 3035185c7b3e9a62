import type { NormalizedConfig } from './config.js';
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
  /** The lazily loaded renew under the cross-tab lock (src/renew-locked.ts). */
  locked(force: boolean, startedWith: number): Promise<SessionRecord>;
  /** Map, store and publish renewed tokens (emits `tokensRenewed`); throws when the user is refused. */
  adopt(record: SessionRecord): void;
  end(reason: SignOutReason, error: AuthError): void;
  emit(event: 'renewFailed', payload: AuthEventMap['renewFailed']): void;
}

/** Which token a caller needs fresh: either, or the one due first. */
export type TokenKind = 'accessToken' | 'idToken';

const MAX_RETRIES = 6;
const POLL_MS = 30_000; // wake at least this often so a sleeping laptop catches up on the wall clock
/** Automatic renews are at least this far apart, whatever the clock or the tokens say (no renew storm). */
const MIN_AUTO_RENEW_MS = 15_000;
/** Token-endpoint errors that say the app client is misconfigured: retrying changes nothing. */
const CONFIG_FAULTS = ['invalid_client', 'unauthorized_client', 'unsupported_grant_type'];

/** The error of a session past `sessionExpiry`. */
export const expiredSession = (): AuthError => new AuthError('session_expired', 'the session is older than sessionExpiry: sign in again');
/** The error of a token needed fresh that can't be renewed (no refresh token, or the app client refused). */
export const expiredToken = (kind: TokenKind = 'accessToken'): AuthError =>
  new AuthError('login_required', `the ${kind === 'idToken' ? 'ID' : 'access'} token can't be renewed: sign in again`);

/** Cognito's clock now, as this browser saw it when the tokens arrived (epoch s). */
export const serverNow = (r: SessionRecord): number => Math.floor(Date.now() / 1000) + (r.clockOffset ?? 0);
const expiryOf = (r: SessionRecord, kind?: TokenKind): number =>
  kind === 'accessToken' ? r.expiresAt : kind === 'idToken' ? r.idExpiresAt : Math.min(r.expiresAt, r.idExpiresAt);
/** True while the token of `kind` (default: both) has not expired. */
export const isValid = (r: SessionRecord, kind?: TokenKind): boolean => serverNow(r) < expiryOf(r, kind);
/** When the session ends (epoch s, Cognito's clock): `sessionExpiry` after the sign-in that started it. */
export const sessionEnd = (r: SessionRecord, cfg: NormalizedConfig): number =>
  (r.sessionStart ?? r.authTime ?? Math.floor(r.updatedAt / 1000)) + cfg.sessionExpiry;
export const sessionOver = (r: SessionRecord, cfg: NormalizedConfig): boolean => serverNow(r) >= sessionEnd(r, cfg);
/**
 * Whether the token of `kind` (default: the one that expires first) is due: within `renewLeadTime`
 * of expiry, or within half its lifetime for tokens shorter than twice the lead time.
 */
export const needsRenew = (r: SessionRecord, cfg: NormalizedConfig, kind?: TokenKind): boolean => {
  const exp = expiryOf(r, kind);
  return exp - serverNow(r) <= leadOf(r, cfg, exp);
};
/** How long before `exp` a token is renewed: `renewLeadTime`, or half its lifetime when that is shorter. */
const leadOf = (r: SessionRecord, cfg: NormalizedConfig, exp: number): number => Math.min(cfg.renewLeadTime, (exp - (r.issuedAt ?? -Infinity)) / 2);

/**
 * Renews the session with the refresh token: one request at a time in this tab (shared promise)
 * and across tabs (a lock), before expiry by a wall-clock timer, with bounded back-off on
 * transient faults. `invalid_grant`, a refused ID token or a refused user ends the session; a
 * misconfigured app client stops renewing.
 */
export function createRenewer(d: RenewDeps) {
  let inflight: Promise<SessionRecord> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let retryAt = 0;
  let lastAuto = -Infinity;
  /** A configuration fault of the app client: no refresh is sent again on this page. */
  let halted: AuthError | null = null;
  const { cfg } = d;
  const canRenew = (r: SessionRecord): boolean => !!r.refreshToken && !halted;

  const once = (force: boolean): Promise<SessionRecord> =>
    (inflight ??= d.locked(force, d.current()?.updatedAt ?? 0).finally(() => {
      inflight = null;
    }));

  async function renew(force: boolean): Promise<SessionRecord> {
    if (halted) throw new AuthError('login_required', 'the app client refused to renew: sign in again', { cause: halted });
    try {
      const r = await once(force);
      failures = 0;
      retryAt = 0;
      return r;
    } catch (e) {
      // A refused refresh token, ID token or user has ended the session under the lock.
      const err = e instanceof AuthError ? e : new AuthError('network_error', 'renew failed', { cause: e });
      if (err.oauthError && CONFIG_FAULTS.includes(err.oauthError)) {
        halted = err; // the tokens serve while they are valid; then login_required
        d.emit('renewFailed', { error: err, willRetry: false });
      } else if (!isAuthError(err, 'id_token_invalid', 'login_required', 'session_expired')) {
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
    if (sessionOver(r, cfg)) {
      d.end('session_expired', expiredSession());
      return;
    }
    if (!canRenew(r) && !isValid(r, 'accessToken')) {
      d.end('token_expired', expiredToken());
      return;
    }
    const now = Date.now();
    if (canRenew(r) && cfg.silentRenew && failures <= MAX_RETRIES && needsRenew(r, cfg) && now >= retryAt && now >= lastAuto + MIN_AUTO_RENEW_MS && !inflight) {
      lastAuto = now;
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
    const toLocalMs = (serverS: number): number => (serverS - (r.clockOffset ?? 0)) * 1000;
    const renewAt = !canRenew(r)
      ? toLocalMs(r.expiresAt)
      : cfg.silentRenew && failures <= MAX_RETRIES
        ? Math.max(toLocalMs(expiryOf(r) - leadOf(r, cfg, expiryOf(r))), retryAt, lastAuto + MIN_AUTO_RENEW_MS)
        : Infinity; // retries spent: wait for online / visibility / a getAccessToken() call
    const at = Math.min(toLocalMs(sessionEnd(r, cfg)), renewAt);
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
    canRenew,
    stop(): void {
      clearTimeout(timer);
      globalThis.removeEventListener?.('online', wake);
      globalThis.document?.removeEventListener?.('visibilitychange', wake);
    },
  };
}
