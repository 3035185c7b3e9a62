// Helpers for the local IdP tests: a tiny cookie-keeping browser and the OAuth requests.
import { createHash, randomBytes } from 'node:crypto';

import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { expect } from 'vitest';

import { startIdp, type IdpOptions, type LocalIdp } from '../../demo/idp/server.mjs';

export const APP = 'http://127.0.0.1:5999';
export const CALLBACK = `${APP}/callback`;
export const SIGNED_OUT = `${APP}/signed-out`;
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A cookie jar and manual redirects: just enough browser to walk the hosted UI. */
export class Browser {
  readonly jar = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set('cookie', [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  post(url: string, form: Record<string, string>): Promise<Response> {
    return this.fetch(url, { method: 'POST', headers: FORM, body: new URLSearchParams(form) });
  }
}

export function location(res: Response, base: string): string {
  const loc = res.headers.get('location');
  if (!loc) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(loc, base).href;
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(idp: LocalIdp, params: Record<string, string>): string {
  return `${idp.domain}/oauth2/authorize?${new URLSearchParams({
    client_id: idp.clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid email profile',
    ...params,
  })}`;
}

export interface SignIn { code: string; state: string; verifier: string; nonce: string }

/** authorize -> sign-in form -> credentials -> callback (or straight to the callback with a session). */
export async function signIn(idp: LocalIdp, browser: Browser, username = 'alice', extra: Record<string, string> = {}): Promise<SignIn> {
  const { verifier, challenge } = pkce();
  const state = randomBytes(12).toString('base64url');
  const nonce = randomBytes(12).toString('base64url');
  let res = await browser.fetch(authorizeUrl(idp, { state, nonce, code_challenge: challenge, code_challenge_method: 'S256', ...extra }));
  const next = location(res, idp.domain);
  if (next.startsWith(`${idp.domain}/login/`)) {
    res = await browser.post(next, { username, password: 'Password1!' });
    res = await browser.fetch(location(res, idp.domain)); // back to /oauth2/authorize/{uid}
  } // else: a live hosted-UI session answered at once
  expect(res.status).toBe(302);
  const callback = new URL(location(res, idp.domain));
  expect(callback.origin + callback.pathname).toBe(CALLBACK);
  expect(callback.searchParams.get('state')).toBe(state);
  return { code: callback.searchParams.get('code') ?? '', state, verifier, nonce };
}

export async function token(idp: LocalIdp, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${idp.domain}/oauth2/token`, {
    method: 'POST', headers: { ...FORM, ...headers }, body: new URLSearchParams({ client_id: idp.clientId, ...form }),
  });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

export function exchange(idp: LocalIdp, s: SignIn, headers: Record<string, string> = {}) {
  return token(idp, { grant_type: 'authorization_code', code: s.code, redirect_uri: CALLBACK, code_verifier: s.verifier }, headers);
}

export function refresh(idp: LocalIdp, refreshToken: string) {
  return token(idp, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

export async function revoke(idp: LocalIdp, refreshToken: string) {
  return fetch(`${idp.domain}/oauth2/revoke`, {
    method: 'POST', headers: FORM, body: new URLSearchParams({ token: refreshToken, client_id: idp.clientId }),
  });
}

export async function verify(idp: LocalIdp, jwt: string): Promise<JWTPayload> {
  const jwks = await (await fetch(idp.jwksUri)).json();
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: idp.issuer, algorithms: ['RS256'] });
  return payload;
}

export function start(options: IdpOptions = {}): Promise<LocalIdp> {
  return startIdp({ redirectUris: [CALLBACK], logoutUris: [SIGNED_OUT], ...options });
}
