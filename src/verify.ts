import { compactVerify } from 'jose';
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
  /** On refresh: the session's `sub`, which must not change, and `auth_time`, which must not move back. */
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
  ERR_JWS_INVALID: 'malformed',
  ERR_JOSE_NOT_SUPPORTED: 'alg',
};

const fail = (reason: string, message: string): never => {
  throw tokenInvalid(reason, message);
};
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Verify the signature and algorithm with jose (`compactVerify`: jose's JWT claim checks are
 * not bundled, the ones below are Cognito's), then the registered claims: `iss` one of the
 * configured issuers, `sub`, `exp` and `iat` present and numbers, `exp`/`nbf` against the clock
 * with skew, and for the ID token `aud`. Errors become reasons.
 */
async function joseVerify(token: string, ctx: VerifyContext, which: 'id' | 'access', retried = false): Promise<Record<string, unknown>> {
  const { cfg } = ctx;
  const why = (reason: string): string => (which === 'id' ? reason : `access_token.${reason}`);
  let bytes: Uint8Array;
  try {
    bytes = (await compactVerify(token, ctx.keys.getKey, { algorithms: [cfg.alg] })).payload;
  } catch (e) {
    if (e instanceof AuthError) throw e; // network_error while fetching keys
    const err = e as { code?: string; message?: string };
    if (err.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' && !retried && (await ctx.keys.refreshIfCached())) {
      return joseVerify(token, ctx, which, true); // the cached key set was stale
    }
    const reason = JOSE_REASONS[err.code ?? ''] ?? 'malformed';
    throw tokenInvalid(why(reason), `${which} token refused (${reason}): ${err.message ?? 'invalid'}`, e);
  }
  let c: Record<string, unknown> | null = null;
  try {
    c = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    /* refused below */
  }
  if (!c || typeof c !== 'object' || Array.isArray(c)) return fail(why('malformed'), `${which} token payload is not a JSON object`);
  const now = Math.floor(Date.now() / 1000);
  if (!cfg.issuers.includes(c.iss as string)) fail(why('iss'), `${which} token issuer is not ${cfg.issuers.join(' or ')}`);
  if (typeof c.sub !== 'string' || !c.sub) fail(why('sub'), `${which} token has no sub`);
  if (!num(c.exp) || c.exp <= now - cfg.skew) fail(why('exp'), `${which} token has expired (or has no exp)`);
  if (!num(c.iat) || c.iat > now + cfg.skew) fail(why('iat'), `${which} token was issued in the future (or has no iat)`);
  if (c.nbf !== undefined && !(num(c.nbf) && c.nbf <= now + cfg.skew)) fail(why('nbf'), `${which} token is not valid yet`);
  if (which === 'id' && c.aud !== cfg.clientId && !(Array.isArray(c.aud) && c.aud.includes(cfg.clientId))) {
    fail('aud', 'ID token audience is not this client');
  }
  return c;
}

const atHash = async (alg: NormalizedConfig['alg'], accessToken: string): Promise<string> => {
  const digest = await sha(`SHA-${alg.slice(2)}` as 'SHA-256', accessToken);
  return b64urlEncode(digest.slice(0, digest.length / 2));
};

/**
 * Verify an ID token and its access token as Cognito issues them. Throws
 * `id_token_invalid` with a `reason` naming the first failed check.
 */
export async function verifyTokens(idToken: string, accessToken: string, ctx: VerifyContext): Promise<VerifiedTokens> {
  const { cfg } = ctx;
  const now = Math.floor(Date.now() / 1000);
  const id = await joseVerify(idToken, ctx, 'id');
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
    // With refresh-token rotation Cognito may move auth_time forward (the user signed in again
    // elsewhere); a future one was refused above. Backwards, or gone, is not a renewal of this session.
    if (ctx.session.authTime !== undefined && !(typeof authTime === 'number' && authTime >= ctx.session.authTime)) {
      fail('auth_time', 'renewed ID token moved auth_time back');
    }
  }
  if (id.at_hash !== undefined && id.at_hash !== (await atHash(cfg.alg, accessToken))) fail('at_hash', 'at_hash does not match the access token');

  const access = await joseVerify(accessToken, ctx, 'access');
  if (access.token_use !== 'access') fail('access_token.token_use', 'token_use of the access token is not "access"');
  if (access.client_id !== cfg.clientId) fail('access_token.client_id', 'the access token was issued to another client');
  if (access.sub !== id.sub) fail('access_token.sub', 'the access token is for another user');
  return { idClaims: id, accessClaims: access };
}
