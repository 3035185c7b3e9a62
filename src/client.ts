import { normalizeConfig } from './config.js';
import { openChannel, type TabMessage } from './crosstab.js';
import { createEndpoints } from './endpoints.js';
import { AuthError } from './errors.js';
import { createEmitter } from './events.js';
import { lazy } from './lazy.js';
import { decodeClaims } from './jwt.js';
import * as rec from './records.js';
import { createRenewer, expiredSession, expiredToken, isValid, needsRenew, sessionOver, type TokenKind } from './renew.js';
import { logoutUrl, revoke } from './signout.js';
import { createStateStore } from './state.js';
import { openStorages, type SessionRecord } from './store.js';
import type { AuthState, CallbackResult, InitResult, CognitoAuth, CognitoAuthConfig, SignInOptions, SignOutReason, User } from './types.js';
import { toUser } from './user.js';
import { completeCallback, type Engine } from './callback.js';
import type { Credentials } from './credentials.js';
import type { Endpoints } from './config.js';
import type { FeatureArgs, Features, Internals } from './internals.js';

/**
 * Create a client for one Cognito app client. Validates the config synchronously
 * (`AuthError('invalid_config')`) and touches no browser API until a method is called.
 *
 * @example
 * const auth = createCognitoAuth({ authority, clientId, callbackUrl, domain });
 * const state = await auth.init(); // on /callback this completes the sign-in
 * if (state.status === 'unauthenticated') await auth.signIn();
 */
export function createCognitoAuth(config: CognitoAuthConfig): CognitoAuth {
  const cfg = normalizeConfig(config);
  const warn = (msg: string, cause?: unknown): void => {
    if (cfg.debug) console.warn(`[cognito-spa-auth] ${msg}`, cause ?? '');
  };
  const state = createStateStore();
  const events = createEmitter();
  const endpoints = createEndpoints(cfg);
  let stores: ReturnType<typeof openStorages> | null = null;
  const storage = () => (stores ??= openStorages(cfg.storage, warn));
  let session: SessionRecord | null = null;
  let fromTabs: SessionRecord | null = null;
  const loadEngine = lazy<Engine>(() =>
    import('./engine.js').then((m) => ({ ...m, keys: m.createKeyStore(cfg.publicKeyUrls, cfg.timeout, warn, m.keyCache(storage().tokens, cfg)) })),
  );
  const here = (): string => globalThis.location?.href ?? cfg.callbackUrl;
  const navigate = (url: string): void => (cfg.navigate ? cfg.navigate(url) : globalThis.location.assign(url));

  let channel: ReturnType<typeof openChannel> | null = null;
  const tabs = () => (channel ??= openChannel(`cognito-spa-auth.${cfg.clientId}`, onTabMessage));

  // Set by the user's own signOut(), until the next signIn(): survives the reload that /logout causes.
  const outKey = rec.ownPrefix(cfg.clientId) + 'signedOut';
  const userOf = (r: SessionRecord): User => toUser(decodeClaims(r.idToken) ?? {}, cfg, r.expiresAt, r.idExpiresAt);

  /** Make `r` the session: store it, publish it. */
  function adopt(r: SessionRecord, how: 'signedIn' | 'renewed' | 'restored' | 'other_tab'): User {
    const user = userOf(r);
    if (session && session.sub !== r.sub) storage().tokens.remove(rec.awsKey(cfg.clientId)); // another user: forget the last one's AWS credentials
    session = r;
    if (how !== 'restored' && how !== 'other_tab') {
      rec.writeSession(storage().tokens, r);
      tabs().post({ t: 'session', record: r });
    }
    state.dispatch({ type: 'authenticated', user });
    if (how === 'signedIn') events.emit('signedIn', { user });
    if (how === 'renewed' || how === 'other_tab') events.emit('tokensRenewed', { user, expiresAt: r.expiresAt });
    renewer.schedule();
    return user;
  }

  /** End the session: forget the tokens everywhere, say why. */
  function end(reason: SignOutReason, error?: AuthError, broadcast = true): void {
    const had = session !== null;
    session = null;
    fromTabs = null;
    callbacks.clear(); // a finished callback no longer answers with the user who signed out
    rec.clearSession(storage().tokens, cfg.clientId);
    if (reason === 'user') storage().transactions.set(outKey, '1');
    if (broadcast) tabs().post({ t: 'signedOut' });
    renewer.schedule();
    state.dispatch({ type: 'unauthenticated', error, signedOut: reason === 'user' });
    if (reason === 'session_expired' && error) events.emit('sessionExpired', { error });
    if (had) events.emit('signedOut', { reason });
  }

  function onTabMessage(m: TabMessage): void {
    if (m.t === 'session') {
      // Another tab's record gets the checks a stored one gets: any script of the origin can post.
      const r = rec.asSessionRecord(m.record, cfg);
      if (!r) return warn('ignored a foreign session from another tab');
      fromTabs = r;
      // With shared storage every tab shows the same session; elsewhere a tab keeps its own.
      if (cfg.storage === 'local' && r.updatedAt > (session?.updatedAt ?? 0)) {
        try {
          adopt(r, session?.sub === r.sub ? 'other_tab' : 'signedIn');
        } catch (e) {
          warn('ignored a refused user from another tab', e);
        }
      }
    } else if (cfg.storage === 'local' && session) {
      end('other_tab', undefined, false);
    }
  }

  const renewer = createRenewer({
    cfg,
    lockName: `cognito-spa-auth.${cfg.clientId}.renew`,
    current: () => session,
    endedElsewhere: () => cfg.storage === 'local' && rec.readSession(storage().tokens, cfg, warn) === null,
    othersRecords: () => [rec.readSession(storage().tokens, cfg, warn), fromTabs],
    grant: async (base) => {
      const e = await loadEngine();
      return e.refresh(cfg, await endpoints(), base, e.keys);
    },
    locked(force, startedWith) {
      return loadEngine().then((e) => e.renewLocked(this, force, startedWith));
    },
    adopt: (r) => void adopt(r, 'renewed'),
    end,
    emit: events.emit,
  });

  /** Restore the stored session without a request; anything unusable reads as signed out. */
  function restore(): AuthState {
    const r = rec.readSession(storage().tokens, cfg, warn);
    if (!r) return (state.dispatch({ type: 'unauthenticated', signedOut: !!storage().transactions.get(outKey) }), state.getState());
    session = r;
    if (sessionOver(r, cfg)) {
      end('session_expired', expiredSession());
    } else if (!r.refreshToken && !isValid(r, 'accessToken')) {
      end('token_expired', expiredToken());
    } else {
      try {
        adopt(r, 'restored');
      } catch (e) {
        warn('stored session: user refused', e);
        end('reset', e instanceof AuthError ? e : undefined);
      }
    }
    return state.getState();
  }

  const isCallback = (url: string = here()): boolean => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    const cb = new URL(cfg.callbackUrl);
    // A code or an error on the callback path: with or without state (Cognito sends some errors
    // without it; a code without it is refused as state_mismatch).
    return u.origin === cb.origin && u.pathname === cb.pathname && (u.searchParams.has('code') || u.searchParams.has('error'));
  };

  let initP: Promise<InitResult> | null = null;
  const finish = (url: string): Promise<CallbackResult> =>
    completeCallback({ cfg, url, txStore: storage().transactions, endpoints, loadEngine })
      .then((r) => ({ user: adopt(r.record, 'signedIn'), returnTo: r.returnTo, appState: r.appState }));
  const callbacks = new Map<string, Promise<CallbackResult>>();
  function handleCallback(url: string = here()): Promise<CallbackResult> {
    // The same callback URL handled twice at once (e.g. React StrictMode) is one exchange.
    let p = callbacks.get(url);
    if (!p) {
      state.dispatch({ type: 'loading' });
      p = finish(url)
        .catch((e: unknown) => {
          const err = e instanceof AuthError ? e : new AuthError('token_request_failed', 'the callback failed', { cause: e });
          state.dispatch({ type: 'failed', error: err });
          throw err;
        });
      callbacks.set(url, p);
    }
    return p;
  }

  // AWS credentials from an identity pool: a chunk of its own, loaded on the first call.
  const credentials = lazy<Credentials>(() => import('./credentials.js').then((m) => m.createCredentials(cfg, api)));

  /** A token of `kind`, renewed first when it is due (or `force`); `login_required` when it can't be had. */
  async function token(kind: TokenKind, force = false): Promise<string> {
    const r = session;
    if (!r) throw new AuthError('login_required', 'not signed in');
    if (sessionOver(r, cfg)) {
      const err = expiredSession();
      end('session_expired', err);
      throw err;
    }
    if (!force && !needsRenew(r, cfg, kind)) return r[kind];
    if (!renewer.canRenew(r)) {
      if (!force && isValid(r, kind)) return r[kind];
      const err = expiredToken(kind);
      if (!isValid(r, 'accessToken')) end('token_expired', err);
      throw err;
    }
    try {
      return (await renewer.renew(force))[kind];
    } catch (e) {
      // A transient fault (the session is still there) while the token is still valid: use it.
      const still = session;
      if (!force && still && isValid(still, kind)) return still[kind];
      throw e;
    }
  }

  // Building a sign-in: its own chunk, prefetched by init() when nobody is signed in.
  const signin = lazy(() => import('./signin.js'));
  /** A new sign-in transaction, kept for the callback; the URL of `/oauth2/authorize` or of `at(endpoints)`. */
  async function prepare(options: SignInOptions, at?: (e: Endpoints) => string, statePrefix?: string): Promise<string> {
    const [eps, { buildSignIn }] = await Promise.all([endpoints(), signin()]);
    const { url, tx } = await buildSignIn(cfg, at ? { ...eps, authorize: at(eps) } : eps, options, here(), statePrefix);
    rec.putTransaction(storage().transactions, cfg.clientId, tx);
    storage().transactions.remove(outKey); // a sign-in starts: the user's sign-out is over
    return url;
  }

  /** Sign out here (refresh token revoked, best effort), then go to `target`, else Cognito's /logout to `returnTo`. */
  async function leave(reason: SignOutReason, returnTo?: string, target?: (e: Endpoints) => Promise<string>): Promise<void> {
    const r = session;
    // Cognito can't be reached: still forget the tokens here.
    const eps = await endpoints().catch((e: unknown) => (end(reason), Promise.reject(e)));
    const url = target ? await target(eps) : logoutUrl(cfg, eps, returnTo);
    if (r?.refreshToken) await revoke(cfg, eps, r.refreshToken, warn); // best effort
    end(reason);
    navigate(url);
  }

  const internals: Internals = { cfg, endpoints, storage, subscribe: state.subscribe, emit: events.emit, session: () => session, navigate, prepare, finish, leave, token };
  /** An optional feature (features.ts): an app that never calls one downloads none of it. */
  const features = lazy(() => import('./features.js'));
  const feature = <K extends keyof Features>(name: K, ...args: FeatureArgs<K>): ReturnType<Features[K]> =>
    features().then((m) => (m[name] as (c: Internals, ...a: unknown[]) => unknown)(internals, ...args)) as ReturnType<Features[K]>;
  // Idle sign-out and sessionEnding: loaded with idleTimeout or the first sessionEnding listener.
  let idle: Promise<(() => void) | void> | null = null;
  const watch = () => (idle ??= feature('watchIdle').catch(warn)); // a failed load: said with debug

  const api: CognitoAuth = {
    getState: state.getState,
    subscribe: state.subscribe,
    on: (event, listener) => (event === 'sessionEnding' && watch(), events.on(event, listener)),
    init() {
      return (initP ??= (async () => {
        rec.pruneTransactions(storage().transactions, cfg.clientId);
        tabs();
        if (cfg.idleTimeout) watch();
        if (!isCallback()) return restore();
        // A popup sign-in's callback (its state starts "p."): hand the URL to the opener, exchange nothing here.
        if (/[?&]state=p\./.test(here())) return (await feature('relay'), state.getState());
        try {
          const { returnTo, appState } = await handleCallback();
          return { ...state.getState(), returnTo, appState };
        } catch (e) {
          // A replayed callback (reload, back button) while a session is stored: the replay changes
          // nothing, so keep the user signed in. Otherwise the error stays in the state.
          if (e instanceof AuthError && e.code === 'state_mismatch' && rec.readSession(storage().tokens, cfg, warn)) {
            warn('ignored a replayed callback');
            return restore();
          }
        }
        return state.getState();
      })().then((r) => {
        if (r.status !== 'authenticated') signin().catch(() => undefined); // ready for the sign-in click
        return r;
      }));
    },
    isCallback,
    signIn: async (options = {}) => navigate(await prepare(options)),
    // The popup opens now, inside the user's click: one opened after an await is blocked.
    signInWithPopup: (options) => feature('signInWithPopup', open('', '', 'popup'), options),
    fetchUserInfo: () => feature('fetchUserInfo'),
    signUp: (options) => feature('signUp', options),
    forgotPassword: (options) => feature('forgotPassword', options),
    switchAccount: (options) => feature('switchAccount', options),
    handleCallback,
    getUser: () => state.getState().user,
    getAccessToken: (options) => token('accessToken', options?.forceRefresh === true),
    getIdToken: () => token('idToken'),
    getAwsCredentials: (options) => credentials().then((c) => c.getAwsCredentials(options)),
    getIdentityId: () => credentials().then((c) => c.getIdentityId()),
    signOut: (options = {}) => leave('user', options.returnTo),
    reset() {
      // The browser storages this config does not use too: a former config may have left tokens there.
      const others = typeof cfg.storage === 'string' ? Object.values(openStorages('local', warn)) : [];
      rec.clearAll([storage().tokens, storage().transactions, ...others], cfg.clientId);
      end('reset');
    },
    destroy() {
      void idle?.then((stop) => stop?.());
      renewer.stop();
      channel?.close();
      channel = null;
      events.clear();
    },
  };
  return api;
}

