/**
 * Server-side sessions: the tokens of a sign-in, in the encrypted session cookie (default) or in
 * a store with only an encrypted id in the cookie. Renewed with the refresh token when due, once
 * for any number of concurrent requests: one promise per session in this process, and with a
 * store a lock shared by every instance.
 */
import { AuthError, isAuthError, isUserRefusal } from '../errors.js';
import { b64urlEncode, decodeClaims, randomString, sha } from '../jwt.js';
import { asSessionRecord } from '../records.js';
import { isValid, needsRenew, sessionEnd, sessionOver } from '../renew.js';
import type { SessionRecord } from '../store.js';
import type { SignOutReason, User } from '../types.js';
import { toUser } from '../user.js';
import type { BffSettings } from './config.js';
import { cookieName, readChunked, readCookies, serializeCookie, writeChunked, type CookieOptions } from './cookies.js';
import type { Sealer } from './seal.js';

const SESSION_COOKIE = 'cognito-session';
/** The user signed out here, until the next sign-in (the client's `AuthState.signedOut`, across Cognito's /logout and reloads). */
const OUT_COOKIE = 'cognito-signed-out';
/** In cookie mode, how long a rotated-out refresh token still maps to its successor (requests that were in flight). */
const SUCCESSOR_MS = 60_000;
/** A session's cookie and store entry outlive its end by this much, so that a late request hears session_expired, not nothing. */
const AFTER_END = 86_400;

/** What the page hears of a sign-in with the first session answer after the callback. */
export interface SignedIn {
  returnTo: string;
  appState?: unknown;
}

/** A session as kept: the tokens, when the sign-in created it (epoch ms), its id, and the sign-in the page has yet to hear of. */
export interface Stored {
  r: SessionRecord;
  c: number;
  i: string;
  n?: SignedIn;
}

/** The outcome of reading a request's session. */
export interface Current {
  stored: Stored | null;
  user: User | null;
  /** Why there is no session (absent when there simply is none, or when there is one). */
  error?: AuthError;
  /** There is no session (any more), and why: what the browser client's `signedOut` event says. */
  signedOut?: SignOutReason;
  /** `Set-Cookie` values the response must carry (a renewed or ended session). */
  setCookies: string[];
  /** The store entry's id (store mode). */
  sid?: string;
}

interface Loaded {
  stored: Stored;
  sid?: string;
}

/** A session that a sign-in will replace: its id, its store entry's id, and until when it is remembered as ended (epoch s). */
export interface Replaced {
  i: string;
  sid?: string;
  until: number;
}

export interface SessionDeps {
  sealer: Sealer;
  /** The refresh grant plus verification. */
  grant(base: SessionRecord): Promise<SessionRecord>;
  warn(message: string, cause?: unknown): void;
}

const nowS = (): number => Math.floor(Date.now() / 1000);

export function createSessions(s: BffSettings, d: SessionDeps) {
  const { cfg, store } = s;
  const inflight = new Map<string, Promise<Stored>>();
  const successors = new Map<string, { stored: Stored; at: number }>();
  // Cookie sessions ended here (sign-out, refused refresh), until they would have expired: a copy of
  // the cookie kept from before reads as signed out. One process's memory: several instances need a store.
  const ended = new Map<string, number>();
  const storeKey = (sid: string): string => `cognito-spa-auth:${cfg.clientId}:session:${sid}`;
  const ttlOf = (r: SessionRecord): number => Math.max(1, sessionEnd(r, cfg) + AFTER_END - nowS());
  const cookieOptions = (maxAge: number): CookieOptions => ({ secure: s.secure, sameSite: 'Strict', maxAge });

  /** A record is used only when it passes the browser's own checks of a stored session (client, issuer, shapes). */
  function valid(payload: unknown): Stored | null {
    const p = payload as Partial<Stored> | null;
    if (!p || typeof p !== 'object' || typeof p.c !== 'number' || typeof p.i !== 'string') return null;
    const r = asSessionRecord(p.r, cfg);
    const n = p.n && typeof p.n === 'object' && typeof p.n.returnTo === 'string' ? { n: p.n } : {};
    return r ? { r, c: p.c, i: p.i, ...n } : null;
  }

  /** The store's calls; any failure is `network_error`, never a sign-out. */
  async function inStore<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (cause) {
      throw new AuthError('network_error', `the session store failed to ${what}`, { cause });
    }
  }

  async function readStore(sid: string): Promise<Stored | null> {
    const raw = await inStore('read', () => (store as NonNullable<typeof store>).get(storeKey(sid)));
    return raw ? valid(await d.sealer.open(raw, 'store')) : null;
  }

  async function writeStore(sid: string, stored: Stored): Promise<void> {
    const ttl = ttlOf(stored.r);
    const value = await d.sealer.seal({ ...stored }, 'store', ttl);
    await inStore('write', () => (store as NonNullable<typeof store>).set(storeKey(sid), value, ttl));
  }

  async function load(cookies: Map<string, string>): Promise<Loaded | null> {
    const token = readChunked(cookies, SESSION_COOKIE, s.secure);
    const payload = token && (await d.sealer.open(token, 'session'));
    if (!payload) return null;
    if (!store) {
      const stored = valid(payload);
      return stored && !ended.has(stored.i) ? { stored } : null;
    }
    const sid = typeof payload.sid === 'string' ? payload.sid : null;
    const stored = sid && (await readStore(sid));
    return stored ? { stored, sid: sid as string } : null;
  }

  /** The `Set-Cookie` values that hold `stored` (the record itself, or the id of its store entry). */
  async function cookiesFor(cookies: Map<string, string>, stored: Stored, sid?: string): Promise<string[]> {
    const ttl = ttlOf(stored.r);
    const value = await d.sealer.seal(sid ? { sid } : { ...stored }, 'session', ttl);
    return writeChunked(cookies, SESSION_COOKIE, value, cookieOptions(ttl));
  }

  const replacedBy = (l: Loaded): Replaced => ({ i: l.stored.i, ...(l.sid ? { sid: l.sid } : {}), until: sessionEnd(l.stored.r, cfg) + AFTER_END });

  /** End a session: its store entry goes; a cookie session is remembered as ended until it would have expired. */
  async function forget(r: Replaced): Promise<void> {
    if (r.sid && store) return inStore('delete', () => store.delete(storeKey(r.sid as string)));
    const now = Date.now();
    for (const [i, until] of ended) if (until <= now) ended.delete(i);
    ended.set(r.i, r.until * 1000);
  }

  async function end(cookies: Map<string, string>, loaded: Loaded | null): Promise<string[]> {
    if (loaded) await forget(replacedBy(loaded));
    return writeChunked(cookies, SESSION_COOKIE, null, cookieOptions(0));
  }

  const fingerprint = async (token: string): Promise<string> => b64urlEncode(await sha('SHA-256', token));

  /** Renew with a store: under the store's lock, from the newest record, unless another request or instance renewed meanwhile. */
  const renewShared = (sid: string, seen: Stored): Promise<Stored> =>
    (store as NonNullable<typeof store>).lock(`${storeKey(sid)}:refresh`, async () => {
      const latest = await readStore(sid);
      if (!latest) throw new AuthError('login_required', 'signed out meanwhile');
      if (latest.r.updatedAt > seen.r.updatedAt) return latest;
      let next: SessionRecord;
      try {
        next = await d.grant(latest.r);
      } catch (e) {
        // End a refused session under the lock, so a waiting request finds it gone instead of
        // sending the same dead refresh token again.
        if (isAuthError(e) && e.oauthError === 'invalid_grant') await inStore('delete', () => (store as NonNullable<typeof store>).delete(storeKey(sid)));
        throw e;
      }
      const stored = { ...latest, r: next };
      await writeStore(sid, stored);
      return stored;
    });

  /** Renew in cookie mode: a request that still carries a just-rotated refresh token gets its successor. */
  async function renewInCookie(seen: Stored): Promise<Stored> {
    const key = await fingerprint(seen.r.refreshToken as string);
    const known = successors.get(key);
    if (known && Date.now() - known.at < SUCCESSOR_MS) return known.stored;
    const stored = { ...seen, r: await d.grant(seen.r) };
    for (const [k, v] of successors) if (Date.now() - v.at >= SUCCESSOR_MS) successors.delete(k);
    successors.set(key, { stored, at: Date.now() });
    return stored;
  }

  async function renew(loaded: Loaded): Promise<Stored> {
    const key = loaded.sid ?? `rt:${await fingerprint(loaded.stored.r.refreshToken as string)}`;
    let p = inflight.get(key);
    if (!p) {
      p = (loaded.sid ? renewShared(loaded.sid, loaded.stored) : renewInCookie(loaded.stored)).finally(() => inflight.delete(key));
      inflight.set(key, p);
    }
    return p;
  }

  /** The request's session, renewed first when due (or when `force`); what ends it says why. */
  async function current(req: Request, force = false): Promise<Current> {
    const cookies = readCookies(req);
    const loaded = await load(cookies);
    // A cookie that names no usable session (tampered, foreign, expired, deleted) is cleared.
    const stale = readChunked(cookies, SESSION_COOKIE, s.secure) !== null;
    // No session here: the user signed out here, or it ended elsewhere (another tab, another instance).
    const gone = cookies.has(cookieName(OUT_COOKIE, s.secure)) ? 'user' : 'other_tab';
    if (!loaded) return { stored: null, user: null, signedOut: gone, setCookies: stale ? await end(cookies, null) : [] };
    const fail = async (error: AuthError, signedOut: SignOutReason): Promise<Current> => ({ stored: null, user: null, error, signedOut, setCookies: await end(cookies, loaded) });
    const r = loaded.stored.r;
    if (sessionOver(r, cfg)) return fail(new AuthError('session_expired', 'the session is older than sessionExpiry: sign in again'), 'session_expired');
    let stored = loaded.stored;
    if (force || needsRenew(r, cfg)) {
      if (!r.refreshToken) {
        if (force || !isValid(r)) return fail(new AuthError('login_required', 'the access token expired and there is no refresh token'), 'token_expired');
      } else {
        try {
          stored = await renew(loaded);
        } catch (e) {
          const err = e instanceof AuthError ? e : new AuthError('network_error', 'renew failed', { cause: e });
          if (err.oauthError === 'invalid_grant') return fail(new AuthError('login_required', 'the refresh token was refused: sign in again', { cause: err }), 'invalid_grant');
          if (isAuthError(err, 'id_token_invalid')) return fail(err, 'id_token_invalid');
          if (isAuthError(err, 'login_required')) return fail(err, 'other_tab'); // ended by another request meanwhile
          // A transient fault while the tokens are still good: use them; else say so, signed in still.
          if (force || !isValid(r)) return { stored: null, user: null, error: err, setCookies: [] };
          d.warn('renewing the session failed; its tokens are still valid', err);
        }
      }
    }
    let user: User;
    try {
      user = toUser(decodeClaims(stored.r.idToken) ?? {}, cfg, stored.r.expiresAt, stored.r.idExpiresAt);
    } catch (e) {
      // OpenMetadata's user rules refuse this user now (a renewed ID token's claims): the session ends.
      return fail(e instanceof AuthError ? e : new AuthError('login_required', 'the session no longer maps to a user', { cause: e }), isUserRefusal(e) ? 'user_refused' : 'reset');
    }
    const setCookies = stored !== loaded.stored && !loaded.sid ? await cookiesFor(cookies, stored) : [];
    return { stored, user, setCookies, sid: loaded.sid };
  }

  return {
    current,
    /**
     * The sign-in has been reported to the page (the first session answer after the callback):
     * drop the mark. The `Set-Cookie` values to send instead of `c.setCookies`.
     */
    async announced(req: Request, c: Current): Promise<string[]> {
      if (!c.stored?.n) return c.setCookies;
      const { n: _, ...stored } = c.stored;
      if (!c.sid) return cookiesFor(readCookies(req), stored);
      await writeStore(c.sid, stored);
      return c.setCookies;
    },
    /**
     * The request's session, which a sign-in starting now will replace: the login route is the app's
     * own navigation and has the Strict session cookie; the callback, Cognito's redirect, has not.
     */
    async replaced(req: Request): Promise<Replaced | undefined> {
      const loaded = await load(readCookies(req));
      return loaded ? replacedBy(loaded) : undefined;
    },
    /**
     * Start the session of a new sign-in; its `Set-Cookie` values. The session it replaces ends (the
     * one the login route saw, and the request's own), in either mode: a copy of its cookie no longer works.
     */
    async create(req: Request, record: SessionRecord, signedIn: SignedIn, replaces?: Replaced): Promise<string[]> {
      const cookies = readCookies(req);
      if (replaces && typeof replaces.i === 'string' && typeof replaces.until === 'number') await forget(replaces);
      const old = await load(cookies);
      if (old) await end(cookies, old);
      const stored: Stored = { r: record, c: Date.now(), i: randomString(16), n: signedIn };
      if (!store) return cookiesFor(cookies, stored);
      const sid = randomString(32);
      await writeStore(sid, stored);
      return cookiesFor(cookies, stored, sid);
    },
    /** End the request's session (the user signs out): its tokens (for revocation) and the `Set-Cookie` values. */
    async end(req: Request): Promise<{ record: SessionRecord | null; setCookies: string[] }> {
      const cookies = readCookies(req);
      const loaded = await load(cookies);
      const out = serializeCookie(OUT_COOKIE, '1', { secure: s.secure, sameSite: 'Strict' });
      return { record: loaded?.stored.r ?? null, setCookies: [...(await end(cookies, loaded)), out] };
    },
    /** A sign-in starts: the `Set-Cookie` value that forgets an earlier sign-out, when there was one. */
    signingIn(req: Request): string[] {
      const had = readCookies(req).has(cookieName(OUT_COOKIE, s.secure));
      return had ? [serializeCookie(OUT_COOKIE, '', { secure: s.secure, sameSite: 'Strict', maxAge: 0 })] : [];
    },
  };
}
