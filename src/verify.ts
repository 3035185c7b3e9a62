import { jwtVerify, type JWTPayload } from 'jose';
import type { NormalizedConfig } from './config.js';
import { AuthError, tokenInvalid } from './errors.js';
import { b64urlEncode, sha } from './jwt.js';
import type { KeyStore } from './keys.js';

export interface VerifyContext {
  cfg: NormalizedConfig;
  keys: KeyStore;
  /** The nonce sent with the sign-in (callback only: refreshed ID tokens carry none). */
  nonce?: string;
  /** The max_age sent with the sign-in, when any. */
  maxAge?: number;
  /** On refresh: the session's `sub` and `auth_time`, which must not change. */
  session?: { sub: string; authTime?: number };
}

export interface VerifiedTokens {
  idClaims: Record<string, unknown>;
  accessClaims: Record<string, unknown>;
}

const JOSE_REASONS: Record<string, string> = {
  ERR_JOSE_ALG_NOT_ALLOWED: 'alg',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'signature',
  ERR_JWKS_NO_MATCHING_KEY: 'kid',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'kid',
  ERR_JWKS_INVALID: 'kid',
  ERR_JWT_EXPIRED: 'exp',
  ERR_JWS_INVALID: 'malformed',
  ERR_JWT_INVALID: 'malformed',
  ERR_JOSE_NOT_SUPPORTED: 'alg',
};

/** Verify signature, algorithm and registered claims with jose; map its errors to reasons. */
async function joseVerify(token: string, ctx: VerifyContext, which: string, audience?: string, retried = false): Promise<JWTPayload> {
  const { cfg } = ctx;
  try {
    const { payload } = await jwtVerify(token, ctx.keys.getKey, {
      algorithms: [cfg.alg],
      issuer: cfg.authority,
      audience,
      clockTolerance: cfg.skew,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    return payload;
  } catch (e) {
    if (e instanceof AuthError) throw e; // network_error while fetching keys
    const err = e as { code?: string; claim?: string; message?: string };
    if (err.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' && !retried && (await ctx.keys.refreshIfCached())) {
      return joseVerify(token, ctx, which, audience, true); // the cached key set was stale
    }
    const reason = err.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? (err.claim ?? 'claims') : (JOSE_REASONS[err.code ?? ''] ?? 'malformed');
    throw tokenInvalid(which === 'id' ? reason : `access_token.${reason}`, `${which} token refused (${reason}): ${err.message ?? 'invalid'}`, e);
  }
}

const atHash = async (alg: NormalizedConfig['alg'], accessToken: string): Promise<string> => {
  const digest = await sha(`SHA-${alg.slice(2)}` as 'SHA-256', accessToken);
  return b64urlEncode(digest.slice(0, digest.length / 2));
};

const fail = (reason: string, message: string): never => {
  throw tokenInvalid(reason, message);
};

/**
 * Verify an ID token and its access token as Cognito issues them. Throws
 * `id_token_invalid` with a `reason` naming the first failed check.
 */
export async function verifyTokens(idToken: string, accessToken: string, ctx: VerifyContext): Promise<VerifiedTokens> {
  const { cfg } = ctx;
  const now = Math.floor(Date.now() / 1000);
  const id = await joseVerify(idToken, ctx, 'id', cfg.clientId);
  if (typeof id.iat === 'number' && id.iat > now + cfg.skew) fail('iat', 'ID token issued in the future');
  if (Array.isArray(id.aud) && id.aud.length > 1 && id.azp !== cfg.clientId) fail('azp', 'ID token has several audiences and azp is not this client');
  if (id.azp !== undefined && id.azp !== cfg.clientId) fail('azp', 'ID token azp is not this client');
  if (id.token_use !== 'id') fail('token_use', 'token_use of the ID token is not "id"');
  if (ctx.nonce !== undefined && id.nonce !== ctx.nonce) fail('nonce', 'ID token nonce is not the one sent');
  const authTime = id.auth_time;
  if (authTime !== undefined && (typeof authTime !== 'number' || authTime > now + cfg.skew)) fail('auth_time', 'auth_time is not a past time');
  if (ctx.maxAge !== undefined) {
    if (typeof authTime !== 'number') fail('auth_time', 'max_age was requested but the ID token has no auth_time');
    else if (now - authTime > ctx.maxAge + cfg.skew) fail('auth_time', 'the sign-in is older than max_age');
  }
  if (ctx.session) {
    if (id.sub !== ctx.session.sub) fail('sub', 'renewed ID token is for another user');
    if (ctx.session.authTime !== undefined && authTime !== ctx.session.authTime) fail('auth_time', 'renewed ID token changed auth_time');
  }
  if (id.at_hash !== undefined && id.at_hash !== (await atHash(cfg.alg, accessToken))) fail('at_hash', 'at_hash does not match the access token');

  const access = await joseVerify(accessToken, ctx, 'access');
  if (typeof access.iat === 'number' && access.iat > now + cfg.skew) fail('access_token.iat', 'access token issued in the future');
  if (access.token_use !== 'access') fail('access_token.token_use', 'token_use of the access token is not "access"');
  if (access.client_id !== cfg.clientId) fail('access_token.client_id', 'the access token was issued to another client');
  if (access.sub !== id.sub) fail('access_token.sub', 'the access token is for another user');
  return { idClaims: id as Record<string, unknown>, accessClaims: access as Record<string, unknown> };
}
