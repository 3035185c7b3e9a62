/**
 * Every failure of the SDK is an {@link AuthError}: one class, a stable `code`.
 */
export type AuthErrorCode =
  | 'invalid_config'
  | 'state_mismatch'
  | 'idp_error'
  | 'token_request_failed'
  | 'id_token_invalid'
  | 'principal_domain_forbidden'
  | 'email_not_verified'
  | 'principal_claim_missing'
  | 'login_required'
  | 'session_expired'
  | 'network_error'
  | 'popup_blocked'
  | 'popup_closed'
  | 'popup_timeout'
  | 'userinfo_failed'
  | 'identity_pool_refused'
  /** The backend-for-frontend client (`cognito-spa-auth/bff`) has no such capability: the tokens stay on the server. */
  | 'unsupported';

/** Extra data an {@link AuthError} may carry, depending on its code. */
export interface AuthErrorDetails {
  /** Which check failed (`id_token_invalid`), e.g. `signature`, `iss`, `nonce`. */
  reason?: string;
  /** Cognito's `error` parameter (`idp_error`). */
  error?: string;
  /** Cognito's `error_description` parameter (`idp_error`). */
  errorDescription?: string;
  /** The token endpoint's `error` (`token_request_failed`), e.g. `invalid_grant`. */
  oauthError?: string;
  /** The HTTP status of a failed request, when there was one. */
  status?: number;
  /** The AWS error type of a Cognito Identity reply, e.g. `NotAuthorizedException`. */
  awsError?: string;
  cause?: unknown;
}

/** The details an AuthError keeps as its own fields. */
const DETAILS = ['reason', 'error', 'errorDescription', 'oauthError', 'status', 'awsError'] as const;

/**
 * The single error type of cognito-spa-auth.
 *
 * @example
 * try { await auth.handleCallback(); }
 * catch (e) { if (e instanceof AuthError && e.code === 'state_mismatch') await auth.signIn(); }
 */
export class AuthError extends Error {
  readonly code: AuthErrorCode;
  readonly reason?: string;
  readonly error?: string;
  readonly errorDescription?: string;
  readonly oauthError?: string;
  readonly status?: number;
  readonly awsError?: string;

  constructor(code: AuthErrorCode, message: string, details: AuthErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AuthError';
    this.code = code;
    for (const k of DETAILS) if (details[k] !== undefined) (this as Record<string, unknown>)[k] = details[k];
    // Keep instanceof working when the class is transpiled to ES5-style constructors.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Shorthand for the checks that refuse a token. */
export const tokenInvalid = (reason: string, message: string, cause?: unknown): AuthError =>
  new AuthError('id_token_invalid', message, { reason, cause });

/** `true` when `e` is an AuthError with one of the given codes. */
export const isAuthError = (e: unknown, ...codes: AuthErrorCode[]): e is AuthError =>
  e instanceof AuthError && (codes.length === 0 || codes.includes(e.code));

/**
 * `true` for the codes that mean "the token is valid, but this user may not be signed in here"
 * (OpenMetadata would refuse them): a session whose renewed ID token maps to such a user ends.
 */
export const isUserRefusal = (e: unknown): e is AuthError =>
  isAuthError(e, 'principal_domain_forbidden', 'email_not_verified', 'principal_claim_missing');
