/**
 * The lazily loaded part of the SDK: reading the token endpoint's replies, the refresh grant and
 * token verification (jose). Nothing here touches storage or state.
 *
 * oidc-client-ts supplies the protocol model as types: the token reply is read as its
 * SigninResponse's fields, OAuth errors as its ErrorResponse's. None of its code is bundled: its
 * OidcClient costs 10.5 kB gzip for one form POST that Cognito needs done its own way (public
 * client, no scope on refresh) and verifies no signature, and its SigninResponse and
 * ErrorResponse classes cost 1.4 kB gzip for an Object.assign and an Error.
 */
import type { ErrorResponse, SigninResponse } from 'oidc-client-ts';
import type { Endpoints, NormalizedConfig } from './config.js';
import { AuthError } from './errors.js';
import { postGrant } from './http.js';
import type { KeyStore } from './keys.js';
import { STORE_VERSION, type SessionRecord } from './store.js';
import { verifyTokens, type VerifiedTokens } from './verify.js';

export { createKeyStore, keyCache } from './keys.js';
export { renewLocked } from './renew-locked.js';
export { verifyTokens };

export interface TokenSet {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
}

/**
 * Read Cognito's reply to a token grant (sent by `postGrant`, in the first chunk, so that it
 * travels while this chunk loads): the tokens, or an AuthError saying what was wrong.
 */
export async function readTokenReply(res: Response): Promise<TokenSet> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* judged below */
  }
  const json = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  if (!res.ok) {
    const e = json as Partial<Pick<ErrorResponse, 'error' | 'error_description'>> | null;
    if (typeof e?.error === 'string') {
      throw new AuthError('token_request_failed', `the token endpoint refused: ${e.error}`, {
        oauthError: e.error,
        errorDescription: typeof e.error_description === 'string' ? e.error_description : undefined,
        status: res.status,
      });
    }
    throw new AuthError('token_request_failed', `the token endpoint answered ${res.status}`, { status: res.status });
  }
  if (!json) throw new AuthError('token_request_failed', 'the token endpoint did not answer a JSON object', { status: res.status });
  const reply = json as Partial<Record<keyof Pick<SigninResponse, 'id_token' | 'access_token' | 'refresh_token'>, unknown>>;
  if (typeof reply.id_token !== 'string' || typeof reply.access_token !== 'string' || !reply.id_token || !reply.access_token) {
    throw new AuthError('token_request_failed', 'the token endpoint answered without an id_token and an access_token');
  }
  // Cognito's tokens are bearer tokens; another type (DPoP, ...) would be used wrongly by every caller.
  if (json.token_type != null && String(json.token_type).toLowerCase() !== 'bearer') {
    throw new AuthError('token_request_failed', `the token endpoint answered token_type "${String(json.token_type)}", not Bearer`);
  }
  const refreshToken = typeof reply.refresh_token === 'string' && reply.refresh_token ? reply.refresh_token : undefined;
  return { idToken: reply.id_token, accessToken: reply.access_token, refreshToken };
}

/**
 * The stored form of verified tokens; a reply without a refresh token keeps the old one (Cognito
 * without rotation). A renew keeps the session's start (`sessionExpiry` counts from the sign-in).
 */
export function toRecord(cfg: NormalizedConfig, tokens: TokenSet, v: VerifiedTokens, base?: SessionRecord): SessionRecord {
  const now = Math.floor(Date.now() / 1000);
  const authTime = typeof v.idClaims.auth_time === 'number' ? v.idClaims.auth_time : undefined;
  const issuedAt = v.accessClaims.iat as number;
  // Cognito's clock against this browser's: a clock minutes fast would make fresh tokens look due.
  const offset = issuedAt - now;
  return {
    v: STORE_VERSION,
    clientId: cfg.clientId,
    iss: cfg.authority,
    sub: v.idClaims.sub as string,
    authTime,
    sessionStart: base ? (base.sessionStart ?? base.authTime ?? Math.floor(base.updatedAt / 1000)) : (authTime ?? now),
    idToken: tokens.idToken,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? base?.refreshToken,
    expiresAt: v.accessClaims.exp as number,
    idExpiresAt: v.idClaims.exp as number,
    issuedAt,
    clockOffset: Math.abs(offset) > cfg.skew ? offset : 0,
    updatedAt: Date.now(),
  };
}

/** Renew `base` with its refresh token; the new ID token must pass every check, keep `sub` and not move `auth_time` back. */
export async function refresh(cfg: NormalizedConfig, endpoints: Endpoints, base: SessionRecord, keys: KeyStore): Promise<SessionRecord> {
  const tokens = await readTokenReply(await postGrant(cfg, endpoints, { grant_type: 'refresh_token', refresh_token: base.refreshToken as string }));
  const verified = await verifyTokens(tokens.idToken, tokens.accessToken, { cfg, keys, session: { sub: base.sub, authTime: base.authTime } });
  return toRecord(cfg, tokens, verified, base);
}
