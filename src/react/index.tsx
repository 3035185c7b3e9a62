import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { AuthError, createCognitoAuth } from '../index.js';
import type { AuthActions, AuthState, CallbackResult, CognitoAuth, CognitoAuthConfig, GetAccessTokenOptions, GetAwsCredentialsOptions, SignInOptions, SignOutOptions } from '../types.js';

const AuthContext = createContext<CognitoAuth | null>(null);

// Clients already started by a provider: init() runs once per client, even when StrictMode runs
// effects twice or two providers share one client (the core's init() is idempotent too).
const started = new WeakSet<CognitoAuth>();

/** Default after a sign-in: show the page the user was going to (`returnTo`), without a reload. */
function replaceUrl({ returnTo }: CallbackResult): void {
  const { pathname, search, hash } = globalThis.location;
  if (pathname + search + hash !== returnTo) globalThis.history.replaceState(globalThis.history.state, '', returnTo);
}

/** Call init(); when it completed a sign-in, hand its `returnTo` and `appState` to `onCallback`. */
function start(auth: CognitoAuth, onCallback: (result: CallbackResult) => void): void {
  auth.init().then(({ user, returnTo, appState }) => {
    if (user && returnTo !== undefined) onCallback({ user, returnTo, appState });
  }, () => undefined); // failures land in getState().error
}

interface ProviderOptions {
  children?: ReactNode;
  /**
   * Called once after a successful callback, with `returnTo` (the page sign-in started from).
   * Default: `history.replaceState` to it. With a router, navigate there instead.
   */
  onCallback?: (result: CallbackResult) => void;
}

/** Either an existing client (`auth`) or a config from which the provider creates one, once. */
export type CognitoAuthProviderProps =
  | ({ auth: CognitoAuth; config?: never } & ProviderOptions)
  | ({ config: CognitoAuthConfig; auth?: never } & ProviderOptions);

/**
 * Makes a client available to {@link useAuth} and {@link RequireAuth}, and calls `auth.init()` once
 * on mount (which handles the callback URL when the page is one, then calls `onCallback`). A client the provider created
 * from `config` is destroyed when the provider unmounts; later changes to `config` are ignored.
 *
 * @example
 * const auth = createCognitoAuth(config);
 * createRoot(el).render(<CognitoAuthProvider auth={auth}><App /></CognitoAuthProvider>);
 */
export function CognitoAuthProvider(props: CognitoAuthProviderProps): ReactNode {
  const [owned] = useState(() => (props.auth ? null : createCognitoAuth(props.config)));
  const auth = props.auth ?? owned;
  if (!auth) throw new AuthError('invalid_config', '<CognitoAuthProvider> needs an `auth` client or a `config`');
  const onCallback = useRef(props.onCallback);
  onCallback.current = props.onCallback;
  const pendingDestroy = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    clearTimeout(pendingDestroy.current);
    if (!started.has(auth)) {
      started.add(auth);
      start(auth, (result) => (onCallback.current ?? replaceUrl)(result));
    }
    // StrictMode unmounts and remounts at once: destroy an owned client only if no remount follows.
    return () => {
      if (auth === owned) pendingDestroy.current = setTimeout(() => auth.destroy(), 0);
    };
  }, [auth, owned]);
  return createElement(AuthContext.Provider, { value: auth }, props.children);
}

/** What {@link useAuth} returns: the core's state, shorthands, and the actions. */
export interface UseAuthResult extends AuthState, AuthActions {
  isAuthenticated: boolean;
  isLoading: boolean;
  /** The user signed out with `signOut()` (see `AuthState.signedOut`). */
  signedOut: boolean;
  /** The client itself, for everything else (`on`, `getIdToken`, ...). */
  auth: CognitoAuth;
}

/**
 * The auth state of the nearest {@link CognitoAuthProvider}; re-renders when it changes.
 * Throws `AuthError('invalid_config')` outside a provider.
 *
 * @example
 * const { isAuthenticated, user, signIn } = useAuth();
 * return isAuthenticated ? <p>Hello {user?.principal}</p> : <button onClick={() => signIn()}>Sign in</button>;
 */
export function useAuth(): UseAuthResult {
  const auth = useContext(AuthContext);
  if (!auth) throw new AuthError('invalid_config', 'useAuth() must be used inside <CognitoAuthProvider>');
  const subscribe = useCallback((onChange: () => void) => auth.subscribe(onChange), [auth]);
  const getState = useCallback(() => auth.getState(), [auth]);
  const state = useSyncExternalStore(subscribe, getState, getState);
  return useMemo(
    () => ({
      status: state.status,
      user: state.user,
      error: state.error,
      isAuthenticated: state.status === 'authenticated',
      isLoading: state.status === 'loading',
      signedOut: state.signedOut === true,
      signIn: (options?: SignInOptions) => auth.signIn(options),
      signOut: (options?: SignOutOptions) => auth.signOut(options),
      getAccessToken: (options?: GetAccessTokenOptions) => auth.getAccessToken(options),
      signInWithPopup: (options?: SignInOptions) => auth.signInWithPopup(options),
      fetchUserInfo: () => auth.fetchUserInfo(),
      signUp: (options?: SignInOptions) => auth.signUp(options),
      forgotPassword: (options?: SignInOptions) => auth.forgotPassword(options),
      switchAccount: (options?: SignInOptions) => auth.switchAccount(options),
      getAwsCredentials: (options?: GetAwsCredentialsOptions) => auth.getAwsCredentials(options),
      getIdentityId: () => auth.getIdentityId(),
      auth,
    }),
    [auth, state],
  );
}

export interface RequireAuthProps {
  children?: ReactNode;
  /** Shown while loading, while leaving for sign-in, and when unauthenticated with `redirect={false}`. */
  fallback?: ReactNode;
  /** Shown when the state is `error` (default: `fallback`). No redirect happens then, so no loop. */
  errorFallback?: ReactNode | ((error: AuthError) => ReactNode);
  /**
   * Shown after the user's own sign-out (`signedOut`) instead of sending them straight back to
   * sign-in. Default: "You have signed out." and a Sign in button.
   */
  signedOutFallback?: ReactNode;
  /** `true`: sign in again at once even after the user's own sign-out. Default `false`. */
  signInAfterSignOut?: boolean;
  /** Passed to `signIn` (default `returnTo`: the current page). */
  signInOptions?: SignInOptions;
  /** `false`: render `fallback` instead of redirecting to sign-in. Default `true`. */
  redirect?: boolean;
}

/**
 * Renders `children` only when signed in. Unauthenticated, it calls `signIn(signInOptions)` once
 * (or, with `redirect={false}`, just renders `fallback`). After the user's own sign-out it shows
 * `signedOutFallback` and waits for the user to sign in again.
 *
 * @example
 * <RequireAuth fallback={<Spinner />} signInOptions={{ prompt: 'login' }}><Dashboard /></RequireAuth>
 * <RequireAuth redirect={false} fallback={<SignInButton />}><Dashboard /></RequireAuth>
 */
export function RequireAuth(props: RequireAuthProps): ReactNode {
  const { children, fallback = null, errorFallback, signedOutFallback, signInAfterSignOut, signInOptions, redirect = true } = props;
  const { status, error, signedOut, signIn, auth } = useAuth();
  const signingIn = useRef(false); // survives StrictMode's second effect run: one redirect only
  // signOut() leaves for Cognito's /logout: a sign-in redirect must not race it.
  useEffect(() => auth.on('signedOut', ({ reason }) => void ((reason === 'user' || reason === 'idle') && (signingIn.current = true))), [auth]);
  const stay = signedOut && !signInAfterSignOut;
  useEffect(() => {
    if (status !== 'unauthenticated' || !redirect || stay || signingIn.current) return;
    signingIn.current = true;
    signIn(signInOptions).catch(() => undefined); // the core reports failures in its state
  }, [status, redirect, stay, signIn, signInOptions]);
  if (status === 'authenticated') return children;
  if (status === 'error' && error && errorFallback !== undefined) {
    return typeof errorFallback === 'function' ? errorFallback(error) : errorFallback;
  }
  if (status === 'unauthenticated' && stay) {
    return signedOutFallback !== undefined
      ? signedOutFallback
      : createElement('p', { role: 'status' }, 'You have signed out. ', createElement('button', { type: 'button', onClick: () => void signIn(signInOptions).catch(() => undefined) }, 'Sign in'));
  }
  return fallback;
}
