import type { AuthError } from './errors.js';

/** A synchronous key-value store, the shape of `window.localStorage`. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** Optional: lets `reset()` find every key the SDK owns. */
  readonly length?: number;
  key?(index: number): string | null;
}

export type Prompt = 'none' | 'login' | 'consent' | 'select_account';
export type TokenValidationAlgorithm = 'RS256' | 'RS384' | 'RS512';

/** The configuration of {@link createCognitoAuth}; see the README's config table. */
export interface CognitoAuthConfig {
  authority: string;
  /**
   * Further issuers of the same user pool to accept besides `authority` (Multi-Region replicas
   * with the original issuer setting). Each must name the same pool id. Without `publicKeyUrls`,
   * the key sets of `authority` and of each issuer are used.
   */
  issuers?: string[];
  clientId: string;
  callbackUrl: string;
  domain?: string;
  logoutUrl?: string;
  publicKeyUrls?: string[];
  tokenValidationAlgorithm?: TokenValidationAlgorithm;
  scopes?: string | string[];
  prompt?: Prompt;
  maxAge?: number;
  maxClockSkew?: number;
  sessionExpiry?: number;
  storage?: 'session' | 'local' | 'memory' | StorageLike;
  silentRenew?: boolean;
  /** Seconds before the access token's expiry at which it is renewed (default 60). */
  renewLeadTime?: number;
  jwtPrincipalClaims?: string[];
  jwtPrincipalClaimsMapping?: string[];
  adminPrincipals?: string[];
  adminEmails?: string[];
  principalDomain?: string;
  enforcePrincipalDomain?: boolean;
  allowedDomains?: string[];
  /** Milliseconds before a request to Cognito is abandoned with `network_error` (default 10000). */
  requestTimeout?: number;
  /** How the browser leaves for Cognito (default `location.assign`). */
  navigate?: (url: string) => void;
  /** Log refusals and fallbacks with `console.warn` (never tokens). */
  debug?: boolean;
  /**
   * Seconds without user activity (pointer, keys, wheel, touch, the tab shown again) in any tab
   * sharing the storage, after which the user is signed out (`signedOut` reason `idle`). Off when
   * absent or 0.
   */
  idleTimeout?: number;
  /**
   * `{region}:{uuid}` of a Cognito identity pool: enables `getAwsCredentials()` and `getIdentityId()`,
   * from Cognito Identity in that region (`https://cognito-identity.{region}.amazonaws.com/`), or,
   * when `authority` is on loopback (a local IdP such as demo/idp), at the authority's origin.
   */
  identityPoolId?: string;
  /** An IAM role ARN sent as `CustomRoleArn` (the identity pool must allow it for the user). */
  customRoleArn?: string;
}

export interface SignInOptions {
  /** Same-origin path or URL to come back to after the callback (default: the current page). */
  returnTo?: string;
  prompt?: Prompt;
  maxAge?: number;
  identityProvider?: string;
  idpIdentifier?: string;
  loginHint?: string;
  lang?: string;
  scopes?: string | string[];
  /**
   * Any JSON-serialisable value to get back after the callback (`handleCallback()` / `init()`):
   * kept in the sign-in transaction in this browser, never sent to Cognito. At most 8,192
   * characters as JSON.
   */
  appState?: unknown;
}

export interface SignOutOptions {
  /** Where Cognito sends the browser after `/logout`; must be an allowed sign-out URL (default `logoutUrl`). */
  returnTo?: string;
}

export interface GetAccessTokenOptions {
  forceRefresh?: boolean;
}

export interface GetAwsCredentialsOptions {
  /** Fetch new credentials even when the cached ones are still good. */
  forceRefresh?: boolean;
}

/**
 * Temporary AWS credentials of the signed-in user from the identity pool. The shape an AWS SDK
 * for JavaScript v3 client takes as its credentials: `credentials: () => auth.getAwsCredentials()`.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** When AWS stops accepting them. */
  expiration: Date;
  /** The user's identity id in the identity pool, `{region}:{uuid}`. */
  identityId: string;
}

export interface User {
  /** OpenMetadata's user name: lower-cased, the part before `@` of an email. */
  principal: string;
  /** Lower-cased; `{principal}@{principalDomain}` when the principal claim is not an email. */
  email?: string;
  domain?: string;
  /** `true` when the ID token says `email_verified: true` (a `false` refuses the sign-in). */
  emailVerified?: boolean;
  /** A federated user's identity provider (`Google`, a SAML or OIDC provider name). */
  provider?: string;
  isAdmin: boolean;
  groups: string[];
  attributes: Record<string, string>;
  claims: Readonly<Record<string, unknown>>;
  /** Access token expiry, epoch seconds. */
  expiresAt: number;
  /** ID token expiry, epoch seconds: Cognito sets it apart from the access token's (often shorter). */
  idTokenExpiresAt: number;
}

export type AuthStatus = 'loading' | 'authenticated' | 'unauthenticated' | 'error';

export interface AuthState {
  readonly status: AuthStatus;
  readonly user: User | null;
  readonly error: AuthError | null;
  /**
   * `true` while unauthenticated because the user signed out with `signOut()` in this tab, until
   * the next sign-in starts (absent otherwise); it survives the reload that Cognito's `/logout` causes. The adapters show
   * the signed-out state then instead of sending the user straight back to sign-in.
   */
  readonly signedOut?: boolean;
}

export interface CallbackResult {
  user: User;
  returnTo: string;
  /** The `appState` given to `signIn()`, when there was one. */
  appState?: unknown;
}

/** What `init()` resolves: the state, and after a callback it completed, where to go and the app state. */
export interface InitResult extends AuthState {
  /** Set when this `init()` completed a sign-in: the same-origin path to show (`signIn`'s `returnTo`). */
  readonly returnTo?: string;
  /** Set when this `init()` completed a sign-in that was given an `appState`. */
  readonly appState?: unknown;
}

/** Why a session ended. */
export type SignOutReason =
  | 'user'
  | 'invalid_grant'
  | 'id_token_invalid'
  /** A renewed ID token maps to a user who may no longer sign in here (e.g. the email left the domain). */
  | 'user_refused'
  | 'session_expired'
  | 'token_expired'
  | 'other_tab'
  | 'reset'
  | 'idle';

export interface AuthEventMap {
  signedIn: { user: User };
  signedOut: { reason: SignOutReason };
  tokensRenewed: { user: User; expiresAt: number };
  renewFailed: { error: AuthError; willRetry: boolean };
  sessionExpired: { error: AuthError };
  /**
   * Every second in the last minute before the session ends (`idleTimeout` or `sessionExpiry`),
   * with the seconds left; `secondsLeft: null` when user activity called the idle end off.
   */
  sessionEnding: { secondsLeft: number | null; reason: 'idle' | 'session_expired' };
}
export type AuthEventName = keyof AuthEventMap;

export interface CognitoAuth {
  getState(): AuthState;
  subscribe(listener: (state: AuthState) => void): () => void;
  on<E extends AuthEventName>(event: E, listener: (payload: AuthEventMap[E]) => void): () => void;
  /** Restore the session, or on the callback URL complete the sign-in (then `returnTo` and `appState` are set). */
  init(): Promise<InitResult>;
  isCallback(url?: string): boolean;
  signIn(options?: SignInOptions): Promise<void>;
  handleCallback(url?: string): Promise<CallbackResult>;
  getUser(): User | null;
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>;
  getIdToken(): Promise<string>;
  /** Temporary AWS credentials from `identityPoolId`, cached until shortly before they expire. */
  getAwsCredentials(options?: GetAwsCredentialsOptions): Promise<AwsCredentials>;
  /** The user's identity id in `identityPoolId` (one `GetId` per user, kept beside the session). */
  getIdentityId(): Promise<string>;
  signOut(options?: SignOutOptions): Promise<void>;
  /**
   * Sign in in a popup window, from a user gesture (a click handler): the page keeps its state and
   * gets the user. `popup_blocked`, `popup_closed`, `popup_timeout`; the callback page must run `init()`.
   */
  signInWithPopup(options?: SignInOptions): Promise<User>;
  /** Cognito's `/oauth2/userInfo` for the signed-in user, `"true"`/`"false"` turned into booleans. */
  fetchUserInfo(): Promise<Record<string, unknown>>;
  /** Go to Cognito's sign-up page; it finishes through the callback like a sign-in. */
  signUp(options?: SignInOptions): Promise<void>;
  /** Go to Cognito's forgot-password page; it finishes through the callback like a sign-in. */
  forgotPassword(options?: SignInOptions): Promise<void>;
  /** Sign out here (refresh token revoked), then Cognito's sign-in page again through `/logout`. */
  switchAccount(options?: SignInOptions): Promise<void>;
  /** Clear every key the SDK owns (tokens, transactions) and become unauthenticated. */
  reset(): void;
  destroy(): void;
}

/** The client's methods the adapters' `useAuth()` hands out as they are (React and Vue alike). */
export type AuthActions = Pick<
  CognitoAuth,
  'signIn' | 'signOut' | 'getAccessToken' | 'signInWithPopup' | 'fetchUserInfo' | 'signUp' | 'forgotPassword' | 'switchAccount' | 'getAwsCredentials' | 'getIdentityId'
>;
