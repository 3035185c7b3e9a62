import { asWritten, type Endpoints, type NormalizedConfig } from './config.js';
import { request } from './http.js';

/** Cognito's own `/logout` URL (not OIDC RP-initiated logout, which Cognito ignores). */
export function logoutUrl(cfg: NormalizedConfig, endpoints: Endpoints, returnTo?: string): string {
  // As written: Cognito compares logout_uri with the allowed sign-out URLs as strings.
  const target = returnTo === undefined ? cfg.logoutUrl : asWritten('signOut.returnTo', returnTo);
  const url = new URL(endpoints.logout);
  url.searchParams.set('client_id', cfg.clientId);
  url.searchParams.set('logout_uri', target);
  return url.href;
}

/** Revoke the refresh token at `/oauth2/revoke`. Best effort: a failure never blocks sign-out. */
export async function revoke(cfg: NormalizedConfig, endpoints: Endpoints, refreshToken: string, warn: (m: string, e?: unknown) => void): Promise<void> {
  try {
    const res = await request(
      endpoints.revoke,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken, client_id: cfg.clientId }).toString(),
        credentials: 'omit',
      },
      cfg.timeout,
    );
    if (!res.ok) warn(`revoking the refresh token answered ${res.status}`);
  } catch (e) {
    warn('revoking the refresh token failed', e);
  }
}
