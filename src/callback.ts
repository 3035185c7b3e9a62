import type { Endpoints, NormalizedConfig } from './config.js';
import { AuthError } from './errors.js';
import { postGrant } from './http.js';
import type { KeyStore } from './keys.js';
import { takeTransaction } from './records.js';
import { sameOriginPath } from './return-to.js';
import type { SafeStorage, SessionRecord } from './store.js';

/** The lazily loaded engine module, with the key store of this client. */
export type Engine = typeof import('./engine.js') & { keys: KeyStore };

const OAUTH_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state'];

/** Take the OAuth parameters out of the address bar so a reload or a shared link can't replay them. */
function cleanAddressBar(url: URL): void {
  const loc = globalThis.location;
  if (!loc || loc.href !== url.href || !globalThis.history?.replaceState) return;
  const clean = new URL(url.href);
  for (const p of OAUTH_PARAMS) clean.searchParams.delete(p);
  globalThis.history.replaceState(globalThis.history.state, '', clean.pathname + clean.search + clean.hash);
}

/** The stored `returnTo`, checked again as it leaves storage (an older or altered entry): else the app's root. */
function storedPath(returnTo: string, callbackUrl: string): string {
  try {
    return sameOriginPath(returnTo, callbackUrl);
  } catch {
    return '/';
  }
}

export interface CallbackDeps {
  cfg: NormalizedConfig;
  url: string;
  txStore: SafeStorage;
  endpoints: () => Promise<Endpoints>;
  loadEngine: () => Promise<Engine>;
}

/**
 * Complete a sign-in from Cognito's redirect: state (once), Cognito's error, the code
 * exchange, then every token check. Returns the record to store; stores nothing itself.
 */
export async function completeCallback(d: CallbackDeps): Promise<{ record: SessionRecord; returnTo: string; appState?: unknown }> {
  const { cfg } = d;
  // The verification code loads while the state is checked and the code exchanged.
  const engineP = d.loadEngine();
  engineP.catch(() => undefined); // awaited below; not an unhandled rejection if the callback fails first
  let url: URL;
  try {
    url = new URL(d.url);
  } catch (cause) {
    throw new AuthError('state_mismatch', 'the callback URL is not a URL', { cause });
  }
  cleanAddressBar(url);
  const q = url.searchParams;
  const state = q.get('state');
  const error = q.get('error');
  const description = q.get('error_description') ?? undefined;
  const idpError = (): AuthError =>
    new AuthError('idp_error', `Cognito answered ${error}${description ? `: ${description}` : ''}`, { error: error ?? undefined, errorDescription: description });
  // Cognito sometimes redirects an error without state: it is still why the sign-in failed. No
  // transaction is touched, so a sign-in in progress stays usable.
  if (error !== null && !state) throw idpError();
  if (!state) throw new AuthError('state_mismatch', 'the callback has no state: start the sign-in again');
  const tx = takeTransaction(d.txStore, cfg.clientId, state);
  if (!tx) {
    throw new AuthError('state_mismatch', "the callback's state is unknown or already used (reload, back button, another tab): sign in again");
  }
  if (error !== null) throw idpError();
  const code = q.get('code');
  if (!code) throw new AuthError('idp_error', 'the callback has neither a code nor an error', { error: 'invalid_request' });
  // The key sets load beside the code exchange, for a callback that passed its state check only.
  engineP.then((e) => e.keys.prefetch(), () => undefined);
  // The code exchange travels while the engine chunk and the key sets load.
  const reply = postGrant(cfg, await d.endpoints(), { grant_type: 'authorization_code', code, redirect_uri: tx.redirectUri, code_verifier: tx.codeVerifier });
  reply.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const engine = await engineP;
  const tokens = await engine.readTokenReply(await reply);
  const verified = await engine.verifyTokens(tokens.idToken, tokens.accessToken, { cfg, keys: engine.keys, nonce: tx.nonce, maxAge: tx.maxAge });
  return { record: engine.toRecord(cfg, tokens, verified), returnTo: storedPath(tx.returnTo, cfg.callbackUrl), appState: tx.appState };
}
