import { AuthError } from './errors.js';

/** `fetch` with a deadline: any failure to get an answer is `network_error`. */
export async function request(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    return await fetch(url, { ...init, signal: ctrl.signal });
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
