import type { Endpoints } from './config.js';
import type { Internals } from './internals.js';
import { ownPrefix } from './records.js';
import type { SignInOptions } from './types.js';

/** A page of the user-pool domain beside `/oauth2/authorize` (custom domains included). */
const page = (path: string) => (e: Endpoints): string => new URL(path, e.authorize).href;

/**
 * Send the browser to Cognito's sign-up page. It takes the parameters of `/oauth2/authorize`, so
 * the same transaction (PKCE, state, nonce, `returnTo`, `appState`) finishes at the callback.
 *
 * @example
 * document.querySelector('#sign-up').onclick = () => auth.signUp({ returnTo: '/welcome' });
 */
export async function signUp(c: Internals, options: SignInOptions = {}): Promise<void> {
  c.navigate(await c.prepare(options, page('/signup')));
}

/**
 * Send the browser to Cognito's forgot-password page; after the reset the user signs in and the
 * callback completes like a sign-in.
 */
export async function forgotPassword(c: Internals, options: SignInOptions = {}): Promise<void> {
  c.navigate(await c.prepare(options, page('/forgotPassword')));
}

/**
 * Sign out here (the refresh token revoked), then through Cognito's `/logout` with `redirect_uri`
 * and `response_type`: Cognito ends its own session and shows its sign-in page, with the
 * parameters of a sign-in (scope, state, nonce, PKCE), so the next user finishes at the callback.
 */
export async function switchAccount(c: Internals, options: SignInOptions = {}): Promise<void> {
  await c.leave('user', undefined, () => c.prepare(options, (e) => e.logout));
  // A sign-in follows: not the user's sign-out that `state.signedOut` reports (client.ts's outKey).
  c.storage().transactions.remove(`${ownPrefix(c.cfg.clientId)}signedOut`);
}
