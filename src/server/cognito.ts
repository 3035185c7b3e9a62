/**
 * The BFF's requests to Cognito as a confidential client: the code and refresh grants and
 * revocation, each authenticated with the app client's secret and bounded by the core's request
 * deadline. The replies are read and the tokens verified by the core, exactly as in the browser.
 */
import type { Endpoints } from '../config.js';
import { readTokenReply, toRecord } from '../engine.js';
import { request } from '../http.js';
import type { KeyStore } from '../keys.js';
import type { SessionRecord, TransactionRecord } from '../store.js';
import { verifyTokens } from '../verify.js';
import type { BffSettings } from './config.js';

const FORM = 'application/x-www-form-urlencoded';

/** `Authorization: Basic`, the id and secret form-encoded first (RFC 6749 2.3.1; the same bytes for Cognito's ids and secrets). */
const basic = (s: BffSettings): string =>
  `Basic ${btoa(`${encodeURIComponent(s.cfg.clientId)}:${encodeURIComponent(s.clientSecret)}`)}`;

/** POST a grant to /oauth2/token with the configured client authentication. */
export function postTokenGrant(s: BffSettings, endpoints: Endpoints, grant: Record<string, string>): Promise<Response> {
  const post = s.authMethod === 'client_secret_post';
  const body = new URLSearchParams({ ...grant, client_id: s.cfg.clientId, ...(post ? { client_secret: s.clientSecret } : {}) });
  const headers: Record<string, string> = { 'Content-Type': FORM, Accept: 'application/json' };
  if (!post) headers.Authorization = basic(s);
  return request(endpoints.token, { method: 'POST', headers, body: body.toString() }, s.cfg.timeout);
}

/** Redeem the callback's code (with the transaction's PKCE verifier) and verify both tokens as the browser does. */
export async function redeemCode(s: BffSettings, endpoints: Endpoints, keys: KeyStore, tx: TransactionRecord, code: string): Promise<SessionRecord> {
  const grant = { grant_type: 'authorization_code', code, redirect_uri: tx.redirectUri, code_verifier: tx.codeVerifier };
  const tokens = await readTokenReply(await postTokenGrant(s, endpoints, grant));
  const verified = await verifyTokens(tokens.idToken, tokens.accessToken, { cfg: s.cfg, keys, nonce: tx.nonce, maxAge: tx.maxAge });
  return toRecord(s.cfg, tokens, verified);
}

/** Renew `base` with its refresh token; the new ID token must pass every check, as the browser's renew does. */
export async function refreshRecord(s: BffSettings, endpoints: Endpoints, keys: KeyStore, base: SessionRecord): Promise<SessionRecord> {
  const tokens = await readTokenReply(await postTokenGrant(s, endpoints, { grant_type: 'refresh_token', refresh_token: base.refreshToken as string }));
  const verified = await verifyTokens(tokens.idToken, tokens.accessToken, { cfg: s.cfg, keys, session: { sub: base.sub, authTime: base.authTime } });
  return toRecord(s.cfg, tokens, verified, base);
}

/**
 * Revoke a refresh token at /oauth2/revoke. Cognito documents `Authorization: Basic` as the way a
 * client with a secret authenticates there, whichever method it uses at the token endpoint.
 * Best effort: a failure never blocks sign-out.
 */
export async function revokeToken(s: BffSettings, endpoints: Endpoints, refreshToken: string, warn: (m: string, e?: unknown) => void): Promise<void> {
  try {
    const res = await request(
      endpoints.revoke,
      { method: 'POST', headers: { 'Content-Type': FORM, Authorization: basic(s) }, body: new URLSearchParams({ token: refreshToken }).toString() },
      s.cfg.timeout,
    );
    if (!res.ok) warn(`revoking the refresh token answered ${res.status}`);
    await res.body?.cancel();
  } catch (e) {
    warn('revoking the refresh token failed', e);
  }
}
