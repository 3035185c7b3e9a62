/**
 * Building a sign-in: the authorize URL and its transaction. A chunk of its own, loaded on first
 * use and prefetched by init() when nobody is signed in, so a sign-in click still makes no request.
 */
import { checkPrompt, configError, scopeString, type Endpoints, type NormalizedConfig } from './config.js';
import { b64urlEncode, randomString, sha } from './jwt.js';
import { STORE_VERSION, type TransactionRecord } from './store.js';
import { sameOriginPath } from './return-to.js';
import type { SignInOptions } from './types.js';

const OPTION_KEYS = new Set(['returnTo', 'prompt', 'maxAge', 'identityProvider', 'idpIdentifier', 'loginHint', 'lang', 'scopes', 'appState']);
/** The most `appState` a sign-in keeps, as JSON characters: it lives in the browser's storage until the callback. */
const APP_STATE_MAX = 8192;

/** `appState` as it will be stored: JSON-serialisable and small, or `invalid_config`. */
function appStateOf(value: unknown): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    /* refused below */
  }
  if (value === undefined) return undefined;
  if (json === undefined || json.length > APP_STATE_MAX) throw configError('signIn.appState', `JSON of at most ${APP_STATE_MAX} characters is expected`);
  return JSON.parse(json) as unknown;
}

const optString = (field: string, v: unknown): string | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw configError(`signIn.${field}`, 'a non-empty string is expected');
  return v;
};

/**
 * Build Cognito's `/oauth2/authorize` URL (code + PKCE S256 + state + nonce) and the
 * transaction to keep until the callback. Makes no network request. `statePrefix` marks the
 * state (`p.` for a popup sign-in: its callback page hands the URL to the opener).
 */
export async function buildSignIn(
  cfg: NormalizedConfig,
  endpoints: Endpoints,
  options: SignInOptions,
  here: string,
  statePrefix = '',
): Promise<{ url: string; tx: TransactionRecord }> {
  for (const key of Object.keys(options)) if (!OPTION_KEYS.has(key)) throw configError(`signIn.${key}`, 'unknown option');
  // The hosted UI is never on the issuer's host (cognito-idp.{region}.amazonaws.com): a `domain` set
  // to it, or an old pool whose discovery names it, would send the browser nowhere.
  if (/cognito-idp.*\.amazonaws\.com(\.cn)?$/.test(new URL(endpoints.authorize).hostname)) {
    throw configError('domain', 'must be the user-pool domain (https://{prefix}.auth.{region}.amazoncognito.com or a custom one), not the issuer host');
  }
  const prompt = checkPrompt('signIn.prompt', options.prompt) ?? cfg.prompt;
  const maxAge = options.maxAge ?? cfg.maxAge;
  if (maxAge !== undefined && (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge < 0)) {
    throw configError('signIn.maxAge', 'a number of seconds >= 0 is expected');
  }
  const identityProvider = optString('identityProvider', options.identityProvider);
  const idpIdentifier = optString('idpIdentifier', options.idpIdentifier);
  if (identityProvider && idpIdentifier) {
    throw configError('signIn.identityProvider', 'identityProvider and idpIdentifier exclude each other (Cognito refuses both)');
  }
  const scope = options.scopes === undefined ? cfg.scope : scopeString('signIn.scopes', options.scopes);
  const tx: TransactionRecord = {
    v: STORE_VERSION,
    state: statePrefix + randomString(),
    nonce: randomString(),
    codeVerifier: randomString(48),
    redirectUri: cfg.callbackUrl,
    scope,
    returnTo: sameOriginPath(options.returnTo, here),
    appState: appStateOf(options.appState),
    maxAge,
    createdAt: Math.floor(Date.now() / 1000),
  };
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: tx.redirectUri,
    scope,
    state: tx.state,
    nonce: tx.nonce,
    code_challenge: b64urlEncode(await sha('SHA-256', tx.codeVerifier)),
    code_challenge_method: 'S256',
    prompt,
    max_age: maxAge === undefined ? undefined : String(Math.floor(maxAge)),
    identity_provider: identityProvider,
    idp_identifier: idpIdentifier,
    login_hint: optString('loginHint', options.loginHint),
    lang: optString('lang', options.lang),
  };
  const url = new URL(endpoints.authorize);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { url: url.href, tx };
}
