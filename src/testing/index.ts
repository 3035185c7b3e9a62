// cognito-spa-auth/testing: a fake client for an app's own unit tests. Its own entry point: the
// main entry never imports it, so an app that doesn't import it carries none of it.
import { AuthError } from '../index.js';
import type { AuthState, AuthStatus, AwsCredentials, CallbackResult, CognitoAuth, InitResult, SignInOptions, SignOutReason, User } from '../types.js';
import { createEmitter } from '../events.js';
import { createStateStore } from '../state.js';
import { fakeToken, testUser } from './user.js';

export { testUser } from './user.js';

export interface TestAuthOptions {
  /** Signed in as this user from the start: a principal, or the {@link User} fields to set (see {@link testUser}). */
  user?: string | Partial<User>;
  /** The starting status (default `authenticated` with a `user`, else `unauthenticated`). With `loading`, `init()` waits until the test settles the state. */
  status?: AuthStatus;
  /** The error of an `error` (default `token_request_failed`) or `unauthenticated` start. */
  error?: AuthError;
  /** Start as after the user's own sign-out (`state.signedOut`). */
  signedOut?: boolean;
  /** The page is Cognito's redirect: `init()` completes a sign-in as `user` and resolves with this `returnTo` (default `/`) and `appState`. */
  callback?: { returnTo?: string; appState?: unknown };
  /** The app's callback URL, for `isCallback()` (default: `/callback` on the page's origin, or on `http://localhost`). */
  callbackUrl?: string;
  /** The tokens `getAccessToken()` / `getIdToken()` return (default: unsigned JWT-shaped tokens with the user's claims). */
  accessToken?: string;
  idToken?: string;
  /** What `getAwsCredentials()` returns (default: fake keys of the signed-in user, expiring in an hour). */
  awsCredentials?: Partial<AwsCredentials>;
}

/** One call the app made to the fake: the method and its arguments. */
export type TestAuthCall = {
  [M in keyof CognitoAuth]: { method: M; args: CognitoAuth[M] extends (...args: infer A) => unknown ? A : never };
}[keyof CognitoAuth];

/**
 * A {@link CognitoAuth} whose state the test drives, with no network and no browser: the same
 * state snapshots, events and errors as the real client. It never navigates: `signIn()` and
 * `signOut()` are recorded in `calls`.
 */
export interface TestAuth extends CognitoAuth {
  /** Every call of an action (`init`, `signIn`, `signOut`, `getAccessToken`, ...), in order. */
  readonly calls: TestAuthCall[];
  /** The arguments of each call to `method`. */
  callsTo<M extends TestAuthCall['method']>(method: M): Array<Extract<TestAuthCall, { method: M }>['args']>;
  /** Signed in as `user` (default: the options' user): `authenticated`, event `signedIn`. */
  signInAs(user?: string | Partial<User>): User;
  /** The tokens were renewed: a new expiry (default an hour from now), event `tokensRenewed`. */
  renew(expiresIn?: number): void;
  /**
   * A renew failed (default `network_error`): event `renewFailed`, and `getAccessToken({ forceRefresh })`
   * rejects with it until `renew()`. A refused refresh token (`oauthError: 'invalid_grant'`) ends the
   * session instead, as the real client does.
   */
  failRenew(error?: AuthError, willRetry?: boolean): void;
  /** The session ran past `sessionExpiry`: `unauthenticated` with `session_expired`, events `sessionExpired`, `signedOut`. */
  expire(): void;
  /** The session ended (default reason `invalid_grant`): `unauthenticated`, event `signedOut`. Also settles `loading`. */
  endSession(reason?: SignOutReason, error?: AuthError): void;
  /** The state becomes `error` (default `token_request_failed`), like a failed callback. */
  fail(error?: AuthError): void;
}

const parse = (url: string, base?: URL): URL | null => {
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
};

const ACTIONS = [
  'init', 'signIn', 'handleCallback', 'getAccessToken', 'getIdToken', 'getAwsCredentials', 'getIdentityId', 'signOut', 'reset', 'destroy',
  'signInWithPopup', 'fetchUserInfo', 'signUp', 'forgotPassword', 'switchAccount',
] as const;

/**
 * Create a fake client for an app's unit tests: render components in each auth state, then drive
 * it (sign in as a user, renew, fail a renew, expire, sign out) and watch the app follow.
 *
 * @example
 * const auth = createTestAuth({ user: { principal: 'alice', groups: ['admins'] } });
 * render(<CognitoAuthProvider auth={auth}><App /></CognitoAuthProvider>);
 * act(() => auth.expire());
 */
export function createTestAuth(options: TestAuthOptions = {}): TestAuth {
  const state = createStateStore();
  const events = createEmitter();
  const calls: TestAuthCall[] = [];
  const origin = (globalThis.location?.origin ?? 'null') === 'null' ? 'http://localhost' : globalThis.location.origin;
  const callbackUrl = new URL(options.callbackUrl ?? '/callback', origin);
  let user: User | null = null;
  let renewError: AuthError | null = null;
  let initP: Promise<InitResult> | null = null;
  let callbackP: Promise<CallbackResult> | null = null;

  function checkSignIn(o: SignInOptions = {}): void {
    if (o.returnTo !== undefined && parse(o.returnTo, callbackUrl)?.origin !== callbackUrl.origin) {
      throw new AuthError('invalid_config', 'returnTo must be a same-origin path or URL');
    }
  }
  const defaultError = (): AuthError => options.error ?? new AuthError('token_request_failed', 'the callback failed (test)');
  function signInAs(who: string | Partial<User> | undefined = options.user): User {
    user = testUser(who);
    renewError = null;
    state.dispatch({ type: 'authenticated', user });
    events.emit('signedIn', { user });
    return user;
  }
  function endSession(reason: SignOutReason = 'invalid_grant', error?: AuthError): void {
    const had = user !== null;
    user = null;
    renewError = null;
    state.dispatch({ type: 'unauthenticated', ...(error && { error }), signedOut: reason === 'user' });
    if (reason === 'session_expired' && error) events.emit('sessionExpired', { error });
    if (had) events.emit('signedOut', { reason });
  }
  function renew(expiresIn = 3600): void {
    if (!user) throw new AuthError('login_required', 'not signed in');
    const at = Math.floor(Date.now() / 1000) + expiresIn;
    user = { ...user, expiresAt: at, idTokenExpiresAt: at };
    renewError = null;
    state.dispatch({ type: 'authenticated', user });
    events.emit('tokensRenewed', { user, expiresAt: user.expiresAt });
  }
  function token(kind: 'id' | 'access', force: boolean): Promise<string> {
    if (!user) return Promise.reject(new AuthError('login_required', 'not signed in'));
    if (force && renewError) return Promise.reject(renewError);
    if (force) renew();
    const given = kind === 'id' ? options.idToken : options.accessToken;
    return Promise.resolve(given ?? fakeToken(user as User, kind));
  }
  /** Fake identity-pool credentials of the signed-in user (no identity pool is asked). */
  function awsCredentials(): Promise<AwsCredentials> {
    if (!user) return Promise.reject(new AuthError('login_required', 'not signed in'));
    const identityId = `us-east-1:00000000-0000-4000-8000-${String(user.claims.sub ?? user.principal).replace(/[^\da-f]/gi, '').padEnd(12, '0').slice(0, 12)}`;
    return Promise.resolve({ accessKeyId: 'ASIATESTKEY', secretAccessKey: 'test-secret', sessionToken: 'test-session', expiration: new Date(Date.now() + 3600_000), identityId, ...options.awsCredentials });
  }
  const settled = (): Promise<AuthState> =>
    new Promise((resolve) => {
      if (state.getState().status !== 'loading') return resolve(state.getState());
      const stop = state.subscribe((s) => s.status !== 'loading' && (stop(), resolve(s)));
    });
  function handleCallback(): Promise<CallbackResult> {
    return (callbackP ??= Promise.resolve().then(() => ({ user: signInAs(), returnTo: options.callback?.returnTo ?? '/', appState: options.callback?.appState })));
  }

  // The starting state.
  const start = options.status ?? (options.callback ? 'loading' : options.user !== undefined ? 'authenticated' : 'unauthenticated');
  if (start === 'authenticated') {
    user = testUser(options.user);
    state.dispatch({ type: 'authenticated', user });
  } else if (start === 'unauthenticated') {
    state.dispatch({ type: 'unauthenticated', ...(options.error && { error: options.error }), signedOut: options.signedOut === true });
  } else if (start === 'error') {
    state.dispatch({ type: 'failed', error: defaultError() });
  }

  const fake: TestAuth = {
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method).map((c) => c.args) as never,
    signInAs,
    renew,
    failRenew(error = new AuthError('network_error', 'renew failed (test)'), willRetry = true) {
      if (error.oauthError === 'invalid_grant') return endSession('invalid_grant', new AuthError('login_required', 'the refresh token was refused: sign in again', { cause: error }));
      renewError = error;
      events.emit('renewFailed', { error, willRetry });
    },
    expire: () => endSession('session_expired', new AuthError('session_expired', 'the session is older than sessionExpiry: sign in again')),
    endSession,
    fail: (error = defaultError()) => {
      user = null;
      state.dispatch({ type: 'failed', error });
    },

    getState: state.getState,
    subscribe: state.subscribe,
    on: events.on,
    init: () =>
      (initP ??= options.callback
        ? handleCallback().then(({ returnTo, appState }) => ({ ...state.getState(), returnTo, appState }))
        : settled()),
    isCallback(url = globalThis.location?.href ?? '') {
      const u = parse(url);
      return !!u && u.origin === callbackUrl.origin && u.pathname === callbackUrl.pathname && u.searchParams.has('state') && (u.searchParams.has('code') || u.searchParams.has('error'));
    },
    signIn: async (o) => checkSignIn(o),
    // The popup completes at once, as the options' user; the links never navigate, like signIn().
    signInWithPopup: async (o) => (checkSignIn(o), signInAs()),
    signUp: async (o) => checkSignIn(o),
    forgotPassword: async (o) => checkSignIn(o),
    switchAccount: async (o) => (checkSignIn(o), endSession('user')),
    // The user's claims stand for Cognito's /oauth2/userInfo reply.
    fetchUserInfo: () => (user ? Promise.resolve({ ...user.claims }) : Promise.reject(new AuthError('login_required', 'not signed in'))),
    handleCallback,
    getUser: () => state.getState().user,
    getAccessToken: (o) => token('access', o?.forceRefresh === true),
    getIdToken: () => token('id', false),
    getAwsCredentials: () => awsCredentials(),
    getIdentityId: () => awsCredentials().then((c) => c.identityId),
    async signOut() {
      endSession('user');
    },
    reset: () => endSession('reset'),
    destroy: () => events.clear(),
  };
  // Record the actions the app calls, and keep `this`-free methods (they can be passed around).
  for (const name of ACTIONS) {
    const method = fake[name] as (...args: unknown[]) => unknown;
    (fake as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls.push({ method: name, args } as TestAuthCall);
      return method(...args);
    };
  }
  return fake;
}

