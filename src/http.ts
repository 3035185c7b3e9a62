import { AuthError } from './errors.js';

/**
 * `fetch` with a deadline that covers the whole exchange, headers and body: the body is read
 * before the deadline is lifted, and handed back buffered. Any failure to get a whole answer
 * is `network_error`. Redirects are refused: no Cognito endpoint redirects, and a token or
 * revoke request must never be replayed to another URL.
 */
export async function request(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  const ctrl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Not every fetch stops reading a body when its signal aborts: the deadline races the read too.
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(ctrl.abort()), timeoutMs)));
  deadline.catch(() => undefined); // a deadline that passes while fetch() itself is aborted has no other taker
  try {
    const res = await fetch(url, { ...init, redirect: 'error', signal: ctrl.signal });
    const body = await Promise.race([res.text(), deadline]);
    // An empty body is null: a 204 may not be built with one.
    return new Response(body || null, { status: res.status, statusText: res.statusText, headers: res.headers });
  } catch (cause) {
    const what = ctrl.signal.aborted ? `timed out after ${timeoutMs} ms` : 'failed';
    throw new AuthError('network_error', `request to ${new URL(url).origin} ${what}`, { cause });
  } finally {
    clearTimeout(timer);
  }
}

/** GET a JSON document; a non-2xx answer or a body that is not a JSON object is `network_error`. */
export async function getJson(url: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const res = await request(url, { headers: { Accept: 'application/json' } }, timeoutMs);
  if (!res.ok) throw new AuthError('network_error', `GET ${url} answered ${res.status}`, { status: res.status });
  let body: unknown;
  try {
    body = await res.json();
  } catch (cause) {
    throw new AuthError('network_error', `GET ${url} did not answer JSON`, { cause, status: res.status });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new AuthError('network_error', `GET ${url} did not answer a JSON object`, { status: res.status });
  }
  return body as Record<string, unknown>;
}

/** POST a grant to Cognito's /oauth2/token as a public client (client_id, never a secret). */
export function postGrant(
  cfg: { clientId: string; timeout: number },
  endpoints: { token: string },
  grant: Record<string, string>,
): Promise<Response> {
  return request(
    endpoints.token,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ ...grant, client_id: cfg.clientId }).toString(),
      credentials: 'omit',
    },
    cfg.timeout,
  );
}
