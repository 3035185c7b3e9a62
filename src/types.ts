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
  principalDomain?: string;
  enforcePrincipalDomain?: boolean;
  /** Milliseconds before a request to Cognito is abandoned with `network_error` (default 10000). */
  requestTimeout?: number;
  /** How the browser leaves for Cognito (default `location.assign`). */
  navigate?: (url: string) => void;
  /** Log refusals and fallbacks with `console.warn` (never tokens). */
  debug?: boolean;
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
  principal: string;
  email?: string;
  domain?: string;
  isAdmin: boolean;
  groups: string[];
  attributes: Record<string, string>;
  claims: Readonly<Record<string, unknown>>;
  /** Access token expiry, epoch seconds. */
  expiresAt: number;
}

export type AuthStatus = 'loading' | 'authenticated' | 'unauthenticated' | 'error';

export interface AuthState {
  readonly status: AuthStatus;
  readonly user: User | null;
  readonly error: AuthError | null;
}

export interface CallbackResult {
  user: User;
  returnTo: string;
}

/** Why a session ended. */
export type SignOutReason = 'user' | 'invalid_grant' | 'id_token_invalid' | 'session_expired' | 'token_expired' | 'other_tab' | 'reset';

export interface AuthEventMap {
  signedIn: { user: User };
  signedOut: { reason: SignOutReason };
  tokensRenewed: { user: User; expiresAt: number };
  renewFailed: { error: AuthError; willRetry: boolean };
  sessionExpired: { error: AuthError };
}
export type AuthEventName = keyof AuthEventMap;

export interface CognitoAuth {
  getState(): AuthState;
  subscribe(listener: (state: AuthState) => void): () => void;
  on<E extends AuthEventName>(event: E, listener: (payload: AuthEventMap[E]) => void): () => void;
  init(): Promise<AuthState>;
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
  /** Clear every key the SDK owns (tokens, transactions) and become unauthenticated. */
  reset(): void;
  destroy(): void;
}
