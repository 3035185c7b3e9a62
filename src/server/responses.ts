import { AuthError, isUserRefusal } from '../errors.js';
import type { SignOutReason } from '../types.js';
import { toNotice } from './notice.js';

/** Headers of every answer of the BFF's own: never cached, never sniffed, no CORS (no Access-Control-* at all). */
function baseHeaders(setCookies: string[]): Headers {
  const h = new Headers({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', Vary: 'Cookie' });
  for (const c of setCookies) h.append('Set-Cookie', c);
  return h;
}

export function json(status: number, body: unknown, setCookies: string[] = [], extra: Record<string, string> = {}): Response {
  const h = baseHeaders(setCookies);
  h.set('Content-Type', 'application/json; charset=utf-8');
  for (const [k, v] of Object.entries(extra)) h.set(k, v);
  return new Response(JSON.stringify(body), { status, headers: h });
}

export function redirect(status: 302 | 303, location: string, setCookies: string[] = []): Response {
  const h = baseHeaders(setCookies);
  h.set('Location', location);
  return new Response(null, { status, headers: h });
}

/** The HTTP status that says what an AuthError means to a page. */
const STATUS: Partial<Record<string, number>> = {
  login_required: 401,
  session_expired: 401,
  id_token_invalid: 401,
  invalid_config: 400,
  network_error: 503,
  token_request_failed: 502,
  userinfo_failed: 502,
  unsupported: 403,
};

/**
 * An AuthError as JSON `{ code, message, reason?, ... }`, what the browser client turns back into
 * an AuthError; `signedOut` says that (and why) there is no session any more.
 */
export function errorJson(e: AuthError, setCookies: string[] = [], signedOut?: SignOutReason): Response {
  // Whatever ended the session, the page must sign in again: 401 (the browser client then signs out too).
  const status = signedOut ? 401 : isUserRefusal(e) ? 403 : (STATUS[(e as AuthError).code] ?? 400);
  return json(status, { ...toNotice(e), ...(signedOut ? { signedOut } : {}) }, setCookies);
}

/** Refusals that are no AuthError: a cross-site request, a route's wrong method, a path the proxy won't take. */
export const refuse = (status: 403 | 404 | 405, code: string, message: string, allow?: string): Response =>
  json(status, { code, message }, [], allow ? { Allow: allow } : {});

/** Anything thrown that is not an AuthError becomes one (a fault of ours or of a dependency). */
export const asAuthError = (e: unknown, what: string): AuthError =>
  e instanceof AuthError ? e : new AuthError('network_error', `${what} failed`, { cause: e });
