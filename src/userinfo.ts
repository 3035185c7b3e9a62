import { AuthError } from './errors.js';
import { request } from './http.js';
import type { Internals } from './internals.js';

/**
 * Cognito's `/oauth2/userInfo` for the signed-in user: every attribute the access token's scopes
 * allow. `email_verified` and `phone_number_verified` (any `*_verified`), which Cognito answers as
 * the strings `"true"` / `"false"`, become booleans. Nothing is cached: each call asks Cognito.
 *
 * @example
 * const { email, email_verified } = await auth.fetchUserInfo();
 */
export async function fetchUserInfo(c: Internals): Promise<Record<string, unknown>> {
  let res = await get(c);
  // A token refused before its expiry (revoked, clock skew): renew once and ask again.
  if (res.status === 401) res = await get(c, true);
  const { status } = res;
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  const error = typeof body?.error === 'string' ? body.error : undefined;
  if (status === 401) throw new AuthError('login_required', 'userInfo refused the access token', { status, error });
  if (!res.ok) throw new AuthError('userinfo_failed', `userInfo answered ${status}`, { status, error });
  // A JSON object (its constructor is Object: not an array, not null) about the signed-in user:
  // OpenID Connect says a reply for another sub must not be used.
  if (body?.constructor !== Object || body.sub !== c.session()?.sub) {
    throw new AuthError('userinfo_failed', 'userInfo did not answer for the signed-in user', { status, reason: 'sub' });
  }
  for (const k in body) if (/_verified$/.test(k) && /^(true|false)$/.test(body[k] as string)) body[k] = body[k] === 'true';
  return body;
}

async function get(c: Internals, renew = false): Promise<Response> {
  const token = await c.token('accessToken', renew);
  return request((await c.endpoints()).userInfo, { headers: { Authorization: `Bearer ${token}` }, credentials: 'omit' }, c.cfg.timeout);
}
