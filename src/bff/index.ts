/**
 * The browser side of the backend-for-frontend (`cognito-spa-auth/server`): the same
 * {@link CognitoAuth} API, so `/react` and `/vue` work unchanged, over the server's endpoints.
 * The tokens stay on the server; the page holds an HttpOnly session cookie it can't read.
 * Every byte counts here (budget: 2 kB gzip with what it takes from the core).
 */
import { AuthError, type AuthErrorCode } from '../errors.js';
import { createEmitter } from '../events.js';
import { createStateStore } from '../state.js';
import type { AuthErrorDetails } from '../errors.js';
import type { CognitoAuth, InitResult, SignInOptions, SignOutReason, User } from '../types.js';

export interface CognitoBffClientConfig {
  /** Where the server's BFF endpoints live (its `basePath`, default `/auth`). */
  basePath?: string;
  /** How the browser leaves for the sign-in and sign-out pages (default `location.assign`). */
  navigate?: (url: string) => void;
  /**
   * Milliseconds (default `10000`) within which a whole answer (headers and body) of the server's
   * BFF endpoints must arrive, else `network_error`. Not applied to `fetch()`: pass your own `signal` there.
   */
  requestTimeout?: number;
}

/** {@link CognitoAuth}, plus `fetch` for the app's own server (its proxy and routes). */
export interface CognitoBffClient extends CognitoAuth {
  /**
   * `fetch()` for same-origin URLs, with the CSRF header the server requires. A 401 rejects with
   * `AuthError('login_required')` (and, when the server says the session ended, signs out here).
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

/** How the server says what went wrong: an AuthError's fields, and why a 401 ended the session. */
interface ErrorReply extends AuthErrorDetails {
  code: AuthErrorCode;
  message: string;
  signedOut?: SignOutReason;
}

/** What the server answers at `{basePath}/session`. */
interface SessionReply {
  /** null: the last sign-in failed, and `error` says why (once). */
  user: User | null;
  error: ErrorReply;
  /** The first answer after the callback: the sign-in just happened, from `returnTo`, with `appState`. */
  signedIn?: boolean;
  returnTo?: string;
  appState?: unknown;
}

const fail = (code: AuthErrorCode, message: string, details?: ConstructorParameters<typeof AuthError>[2]): never => {
  throw new AuthError(code, message, details);
};
const unsupported = async (what: string): Promise<never> => fail('unsupported', `${what}: the tokens stay on the BFF server`);

/**
 * Create the browser client of a backend-for-frontend. Touches no browser API until a method is called.
 *
 * @example
 * const auth = createCognitoAuth({ basePath: '/auth' });
 * const { status } = await auth.init(); // asks /auth/session
 * if (status === 'unauthenticated') await auth.signIn(); // navigates to /auth/login
 * const items = await (await auth.fetch('/api/items')).json(); // the server adds the access token
 */
export function createCognitoAuth(config: CognitoBffClientConfig = {}): CognitoBffClient {
  const { basePath = '/auth', navigate, requestTimeout = 1e4, ...unknown } = config;
  if (!/^(\/[\w.~-]+)+$/.test(basePath) || !(requestTimeout > 0 && requestTimeout < 1e9) || Object.keys(unknown)[0]) {
    fail('invalid_config', 'config: basePath, navigate, requestTimeout');
  }
  const state = createStateStore();
  const events = createEmitter();
  const go = (url: string): void => (navigate ?? ((u) => location.assign(u)))(url);
  const user = (): User | null => state.getState().user;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let channel: BroadcastChannel | undefined;
  let initP: Promise<InitResult> | undefined;

  /** The server's `{ code, message, reason? }` as an AuthError; without one (no JSON answer, or none in time), `network_error`. */
  const toError = (b: Partial<ErrorReply> = {}, status?: number): AuthError => new AuthError(b.code ?? 'network_error', b.message ?? `${status}`, { ...b, status });
  /** A request with the CSRF header; a 401 by which the server says the session ended ends it here too. */
  async function send(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const req = new Request(input, { ...init, credentials: 'same-origin' });
    // The session and the CSRF header are for the app's own server only.
    if (!req.url.startsWith(`${location.origin}/`)) return unsupported(req.url);
    req.headers.set('X-CSRF', '1');
    const res = await fetch(req).catch((cause) => fail('network_error', req.url, { cause }));
    if (res.status !== 401) return res;
    const b = (await res.clone().json().catch(() => ({}))) as Partial<ErrorReply>;
    const err = toError(b, 401);
    // Not signed in (no user shown) is no error; an expired session always says so.
    if (b.signedOut) end(b.signedOut, user() || b.code === 'session_expired' ? err : undefined);
    return fail('login_required', err.message, { status: 401, cause: err });
  }
  /** A BFF endpoint's JSON, or its error thrown. The deadline covers the body too: an aborted fetch stops reading it. */
  async function call<T>(path: string, init?: RequestInit): Promise<T> {
    const res = await send(basePath + path, { ...init, signal: AbortSignal.timeout(requestTimeout) });
    const b = await res.json().catch(() => undefined);
    return res.ok && b ? b : Promise.reject(toError(b, res.status));
  }

  function end(reason: SignOutReason, err?: AuthError, tell = true): void {
    const had = user();
    clearTimeout(timer);
    state.dispatch({ type: 'unauthenticated', error: err, signedOut: reason == 'user' });
    if (tell) channel?.postMessage(0);
    if (err?.code === 'session_expired') events.emit('sessionExpired', { error: err });
    if (had) events.emit('signedOut', { reason });
  }

  const here = (): string => location.pathname + location.search + location.hash;
  /** The login route (Cognito's page of `screen`); the options travel as JSON and the server checks them (a bad one comes back as the error of init()). */
  const login = async (options?: SignInOptions, screen?: string): Promise<void> =>
    go(`${basePath}/login?options=${encodeURIComponent(JSON.stringify({ returnTo: here(), ...options, screen }))}`);

  /** Ask the server for the session (it renews the tokens when due) and show it; after the callback, its returnTo and appState. */
  async function load(first?: boolean, fromTab?: boolean): Promise<Pick<InitResult, 'returnTo' | 'appState'> | void> {
    clearTimeout(timer);
    try {
      const { user: u, signedIn, returnTo, appState, error } = await call<SessionReply>('/session');
      if (!u) return state.dispatch({ type: 'failed', error: toError(error) });
      const before = user();
      const { expiresAt } = u;
      state.dispatch({ type: 'authenticated', user: u });
      if (!before && (signedIn || fromTab)) {
        events.emit('signedIn', { user: u });
        if (signedIn) channel?.postMessage(1);
      } else if (before && before.expiresAt !== expiresAt) events.emit('tokensRenewed', { user: u, expiresAt });
      // Ask again when the server will renew (a minute before expiry; Cognito's tokens live a day at most), so the page shows it.
      timer = setTimeout(load, Math.max(expiresAt * 1e3 - Date.now() - 6e4, 5e3));
      if (signedIn) return { returnTo, appState };
    } catch (e) {
      // A 401 has ended the session already; anything else is a fault, which keeps it.
      const err = e as AuthError;
      if (err.code === 'login_required') return;
      if (first) state.dispatch({ type: 'failed', error: err });
      else if (user()) {
        events.emit('renewFailed', { error: err, willRetry: true });
        timer = setTimeout(load, 3e4);
      }
    }
  }

  return {
    getState: state.getState,
    subscribe: state.subscribe,
    on: events.on,
    init: () =>
      (initP ??= (async () => {
        if (globalThis.BroadcastChannel) {
          channel = new BroadcastChannel(`cognito-bff${basePath}`);
          channel.onmessage = (e) => (e.data ? load(false, true) : end('other_tab', undefined, false));
        }
        return { ...(await load(true)), ...state.getState() };
      })()),
    isCallback: () => false, // the server answers the callback
    signIn: login,
    signUp: (options) => login(options, 'signup'),
    forgotPassword: (options) => login(options, 'forgotPassword'),
    async switchAccount(options) {
      go((await call<{ url: string }>('/switch', { method: 'POST', body: JSON.stringify({ returnTo: here(), ...options }) }).finally(() => end('user'))).url);
    },
    signInWithPopup: () => unsupported('signInWithPopup'),
    fetchUserInfo: () => call('/userinfo'), // the server asks Cognito with the session's access token
    handleCallback: () => unsupported('handleCallback'),
    getUser: user,
    // Without exposeAccessToken the server answers `unsupported` (call APIs with auth.fetch() then).
    getAccessToken: async (options) => (await call<{ accessToken: string }>(`/token${options?.forceRefresh ? '?forceRefresh=1' : ''}`)).accessToken,
    getIdToken: () => unsupported('getIdToken'),
    // AWS credentials need the ID token in the page: browser-only apps get them.
    getAwsCredentials: () => unsupported('getAwsCredentials'),
    getIdentityId: () => unsupported('getIdentityId'),
    async signOut(options) {
      go((await call<{ url: string }>('/logout', { method: 'POST', body: JSON.stringify(options) }).finally(() => end('user'))).url);
    },
    reset() {
      end('reset');
      call('/logout', { method: 'POST' }).catch(() => undefined); // the server's session too, without Cognito's page
    },
    destroy() {
      clearTimeout(timer);
      channel?.close();
      events.clear();
    },
    fetch: send,
  };
}

export { AuthError, isAuthError } from '../errors.js';
export type { AuthErrorCode } from '../errors.js';
export type { AuthState, InitResult, AuthEventMap, AuthEventName, CognitoAuth, SignInOptions, SignOutOptions, User } from '../types.js';
