import { computed, getCurrentScope, inject, onScopeDispose, shallowRef } from 'vue';
import type { App, ComputedRef, InjectionKey, Plugin, Ref } from 'vue';
import { AuthError, createCognitoAuth } from '../index.js';
import type { AuthActions, AuthState, CallbackResult, CognitoAuth, CognitoAuthConfig, InitResult, SignInOptions, User } from '../types.js';

/** The injection key under which the plugin provides the client. */
export const cognitoAuthKey: InjectionKey<CognitoAuth> = Symbol('cognito-spa-auth');

/** Default after a sign-in: show the page the user was going to (`returnTo`), without a reload. */
function replaceUrl({ returnTo }: CallbackResult): void {
  const { pathname, search, hash } = globalThis.location;
  if (pathname + search + hash !== returnTo) globalThis.history.replaceState(globalThis.history.state, '', returnTo);
}

// One init() per client, whoever asks first (the plugin or a guard); the core's init() is
// idempotent too, but the adapter does not rely on it. `callbackPath`: the page was Cognito's
// redirect to this path (read before init() cleans the address bar); `redirected`: a guard has
// already sent the router from it to `returnTo`.
interface Started {
  result: Promise<InitResult | null>;
  callbackPath: string | null;
  redirected: boolean;
}
const initialised = new WeakMap<CognitoAuth, Started>();
function initOnce(auth: CognitoAuth): Started {
  let started = initialised.get(auth);
  if (!started) {
    const callbackPath = auth.isCallback() ? globalThis.location.pathname : null;
    started = { result: auth.init().catch(() => null), callbackPath, redirected: false }; // failures land in getState().error
    initialised.set(auth, started);
  }
  return started;
}

const isClient = (x: CognitoAuth | CognitoAuthConfig): x is CognitoAuth =>
  typeof (x as Partial<CognitoAuth>).getState === 'function';

export interface CognitoAuthPluginOptions {
  /**
   * Called once after a successful callback, with `returnTo` (the page sign-in started from).
   * Default: `history.replaceState` to it. With vue-router, {@link createAuthGuard} already
   * replaces the callback route with `returnTo`; no `onCallback` is needed.
   */
  onCallback?: (result: CallbackResult) => void;
}

/**
 * A Vue plugin that provides the client to {@link useAuth} and calls `auth.init()` once (which
 * handles the callback URL when the page is one, then calls `onCallback`). Given a config, it
 * creates the client and destroys it when the app unmounts.
 *
 * @example
 * createApp(App).use(createCognitoAuthPlugin(createCognitoAuth(config))).mount('#app');
 */
export function createCognitoAuthPlugin(auth: CognitoAuth | CognitoAuthConfig, options: CognitoAuthPluginOptions = {}): Plugin {
  return {
    install(app: App) {
      const client = isClient(auth) ? auth : createCognitoAuth(auth);
      app.provide(cognitoAuthKey, client);
      if (client !== auth) app.onUnmount?.(() => client.destroy());
      const onCallback = options.onCallback ?? replaceUrl;
      void initOnce(client).result.then((r) => {
        // init() completed a sign-in: show the page it started from.
        if (r?.user && r.returnTo !== undefined) onCallback({ user: r.user, returnTo: r.returnTo, appState: r.appState });
      });
    },
  };
}

/** What {@link useAuth} returns: reactive state and the actions. */
export interface UseAuthReturn extends AuthActions {
  /** The core's state, replaced (not mutated) on every change. */
  state: Readonly<Ref<AuthState>>;
  status: ComputedRef<AuthState['status']>;
  user: ComputedRef<User | null>;
  error: ComputedRef<AuthError | null>;
  isAuthenticated: ComputedRef<boolean>;
  isLoading: ComputedRef<boolean>;
  /** The user signed out with `signOut()` (see `AuthState.signedOut`). */
  signedOut: ComputedRef<boolean>;
  /** The client itself, for everything else (`on`, `getIdToken`, ...). */
  auth: CognitoAuth;
}

/**
 * Reactive auth state for a component's `setup` (or any effect scope); the subscription ends with
 * the scope. Uses the plugin's client unless one is passed. Throws `AuthError('invalid_config')`
 * when there is neither.
 *
 * @example
 * const { isAuthenticated, user, signIn, signOut } = useAuth();
 */
export function useAuth(client?: CognitoAuth): UseAuthReturn {
  const auth = client ?? inject(cognitoAuthKey, null);
  if (!auth) {
    throw new AuthError('invalid_config', 'useAuth() needs app.use(createCognitoAuthPlugin(auth)) or a client argument');
  }
  const state = shallowRef(auth.getState());
  const stop = auth.subscribe((next) => {
    state.value = next;
  });
  if (getCurrentScope()) onScopeDispose(stop);
  return {
    state,
    status: computed(() => state.value.status),
    user: computed(() => state.value.user),
    error: computed(() => state.value.error),
    isAuthenticated: computed(() => state.value.status === 'authenticated'),
    isLoading: computed(() => state.value.status === 'loading'),
    signedOut: computed(() => state.value.signedOut === true),
    signIn: (options) => auth.signIn(options),
    signOut: (options) => auth.signOut(options),
    getAccessToken: (options) => auth.getAccessToken(options),
    signInWithPopup: (options) => auth.signInWithPopup(options),
    fetchUserInfo: () => auth.fetchUserInfo(),
    signUp: (options) => auth.signUp(options),
    forgotPassword: (options) => auth.forgotPassword(options),
    switchAccount: (options) => auth.switchAccount(options),
    getAwsCredentials: (options) => auth.getAwsCredentials(options),
    getIdentityId: () => auth.getIdentityId(),
    auth,
  };
}

/** The part of a vue-router route the guard reads (so vue-router is not a dependency). */
export interface GuardedRoute {
  fullPath: string;
  /** The URL of the route with the router's base (vue-router sets it); default `fullPath`. */
  href?: string;
  meta?: Readonly<Record<PropertyKey, unknown>>;
}

export interface AuthGuardOptions {
  /** Which routes need a signed-in user (default: `to.meta.requiresAuth` is truthy). */
  requiresAuth?: (to: GuardedRoute) => boolean;
  /** Passed to `signIn`; `returnTo` is always the target route's `fullPath`. */
  signInOptions?: Omit<SignInOptions, 'returnTo'>;
  /**
   * After the user's own sign-out (`state.signedOut`), a route that requires auth does not start a
   * sign-in: the navigation goes to `signedOutRoute`, or is cancelled when there is none, so the
   * app shows its signed-out state. `true`: sign in again at once instead. Default `false`.
   */
  signInAfterSignOut?: boolean;
  /** Where a route that requires auth leads after the user's own sign-out (default: nowhere, cancelled). */
  signedOutRoute?: string;
}

/**
 * A navigation guard for `router.beforeEach`.
 *
 * - The callback route (Cognito's redirect with `code` and `state`): it waits for `init()` to
 *   complete the sign-in, then redirects to `returnTo` (on failure to `/`, where the app shows
 *   `state.error`). vue-router replaces the callback's history entry: no code or state goes back
 *   into the address bar or the history, and the app needs no route for the callback path.
 * - A route that requires auth: it waits for `init()`; signed in, the navigation proceeds;
 *   unauthenticated, it starts sign-in with `returnTo` = the target's `fullPath` and cancels the
 *   navigation, as the page is leaving. In error (shown by the app), or after the user's own
 *   sign-out (see `signInAfterSignOut`), it starts no sign-in.
 *
 * @example
 * router.beforeEach(createAuthGuard(auth));
 * // routes: { path: '/admin', component: Admin, meta: { requiresAuth: true } }
 */
export function createAuthGuard(auth: CognitoAuth, options: AuthGuardOptions = {}): (to: GuardedRoute) => Promise<boolean | string> {
  const requiresAuth = options.requiresAuth ?? ((to: GuardedRoute) => Boolean(to.meta?.requiresAuth));
  return async (to) => {
    // The router's first navigation of a page that was Cognito's redirect (whether or not the
    // address still holds the code): once the sign-in completes, go to returnTo instead.
    const here = globalThis.location?.href; // none during server-side rendering: no callback there
    const url = here ? new URL(to.href ?? to.fullPath, here) : null;
    const started = initialised.get(auth) ?? (url && auth.isCallback(url.href) ? initOnce(auth) : undefined);
    if (url && started?.callbackPath === url.pathname && !started.redirected) {
      started.redirected = true;
      const result = await started.result;
      return result?.user && result.returnTo !== undefined ? result.returnTo : '/';
    }
    if (!requiresAuth(to)) return true;
    await initOnce(auth).result;
    const { status, signedOut } = auth.getState();
    if (status === 'authenticated') return true;
    if (status === 'error') return false;
    if (signedOut && !options.signInAfterSignOut) return options.signedOutRoute ?? false;
    await auth.signIn({ ...options.signInOptions, returnTo: to.fullPath });
    return false;
  };
}
