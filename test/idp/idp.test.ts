// The local Cognito-shaped IdP (demo/idp), driven with plain fetch like a browser would.
import { createHash } from 'node:crypto';

import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { LocalIdp } from '../../demo/idp/server.mjs';
import {
  APP, Browser, CALLBACK, SIGNED_OUT, authorizeUrl, exchange, location, pkce, refresh, revoke, signIn, start,
  token, verify, type SignIn,
} from './harness.js';

const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));


describe('local Cognito IdP', () => {
  let idp: LocalIdp;

  beforeAll(async () => {
    idp = await start();
  });
  afterAll(async () => {
    await idp.stop();
  });

  it('serves Cognito discovery and a JWKS with two RS256 keys, readable cross-origin', async () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/us-east-1_LocalPool$/);
    expect(idp.domain).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(idp.issuer).port).not.toBe(new URL(idp.domain).port);

    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`, { headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const d = (await res.json()) as Record<string, unknown>;
    expect(d).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.domain}/oauth2/authorize`,
      token_endpoint: `${idp.domain}/oauth2/token`,
      userinfo_endpoint: `${idp.domain}/oauth2/userInfo`,
      revocation_endpoint: `${idp.domain}/oauth2/revoke`,
      end_session_endpoint: `${idp.domain}/logout`,
      jwks_uri: idp.jwksUri,
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'token'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
    });
    expect(d).not.toHaveProperty('check_session_iframe');
    expect(d).not.toHaveProperty('code_challenge_methods_supported');

    const jwksRes = await fetch(idp.jwksUri, { headers: { origin: APP } });
    expect(jwksRes.headers.get('access-control-allow-origin')).toBe('*');
    const { keys } = (await jwksRes.json()) as { keys: Array<Record<string, string>> };
    expect(keys).toHaveLength(2);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(2);
    for (const k of keys) {
      expect(k).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
      expect(k).not.toHaveProperty('d');
    }
  });

  it('signs in through the form and issues Cognito-shaped, verifiable tokens', async () => {
    const browser = new Browser();
    const { verifier, challenge } = pkce();
    let res = await browser.fetch(authorizeUrl(idp, {
      state: 'st-1', nonce: 'n-1', code_challenge: challenge, code_challenge_method: 'S256',
      login_hint: 'alice', lang: 'en', identity_provider: 'COGNITO', prompt: 'select_account',
    }));
    const loginUrl = location(res, idp.domain);
    res = await browser.fetch(loginUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const page = await res.text();
    expect(page).toContain('<title>Sign in</title>');
    expect(page).toMatch(/<label for="signInFormUsername">Username<\/label>/);
    expect(page).toMatch(/<label for="signInFormPassword">Password<\/label>/);
    expect(page).toMatch(/<button type="submit"[^>]*>Sign in<\/button>/);
    expect(page).toContain('value="alice"'); // login_hint prefills the username

    res = await browser.post(loginUrl, { username: 'alice', password: 'wrong' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Incorrect username or password.');

    res = await browser.post(loginUrl, { username: 'alice', password: 'Password1!' });
    res = await browser.fetch(location(res, idp.domain));
    expect(res.status).toBe(302);
    const callback = new URL(location(res, idp.domain));
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    expect(callback.searchParams.get('state')).toBe('st-1');
    expect(callback.searchParams.has('iss')).toBe(false);
    const code = callback.searchParams.get('code') ?? '';
    expect(code).not.toBe('');

    const wrongVerifier = await token(idp, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: pkce().verifier });
    expect(wrongVerifier.res.status).toBe(400);
    expect(wrongVerifier.body).toEqual({ error: 'invalid_grant' });

    const s: SignIn = { code, verifier, state: 'st-1', nonce: 'n-1' };
    const { res: tokRes, body } = await exchange(idp, s, { origin: APP });
    expect(tokRes.status).toBe(200);
    expect(tokRes.headers.get('access-control-allow-origin')).toBe(APP);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'refresh_token', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });

    const idToken = String(body.id_token);
    const accessToken = String(body.access_token);
    const alice = idp.users.find((u) => u.username === 'alice');
    const id = await verify(idp, idToken);
    expect(id).toMatchObject({
      sub: alice?.sub,
      aud: idp.clientId,
      iss: idp.issuer,
      token_use: 'id',
      'cognito:username': 'alice',
      'cognito:groups': ['admins'],
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice Admin',
      given_name: 'Alice',
      nonce: s.nonce,
    });
    for (const claim of ['auth_time', 'iat', 'exp', 'jti', 'origin_jti', 'event_id', 'at_hash']) expect(id).toHaveProperty(claim);
    expect(Number(id.exp) - Number(id.iat)).toBe(3600);
    const digest = createHash('sha256').update(accessToken).digest();
    expect(id.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));

    const at = await verify(idp, accessToken);
    expect(at).toMatchObject({
      sub: alice?.sub, iss: idp.issuer, token_use: 'access', client_id: idp.clientId, username: 'alice',
      'cognito:groups': ['admins'], auth_time: id.auth_time, origin_jti: id.origin_jti, event_id: id.event_id,
    });
    expect(String(at.scope).split(' ').sort()).toEqual(['email', 'openid', 'profile']);
    expect(at).not.toHaveProperty('aud');
    for (const claim of ['iat', 'exp', 'jti']) expect(at).toHaveProperty(claim);
    expect(decodeProtectedHeader(accessToken).kid).not.toBe(decodeProtectedHeader(idToken).kid);
    expect(decodeProtectedHeader(accessToken)).not.toHaveProperty('typ');

    // userInfo, CORS included
    const ui = await fetch(`${idp.domain}/oauth2/userInfo`, { headers: { authorization: `Bearer ${accessToken}`, origin: APP } });
    expect(ui.status).toBe(200);
    expect(ui.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await ui.json()).toMatchObject({ sub: alice?.sub, username: 'alice', email: 'alice@example.com', email_verified: 'true' });

    // refresh: same sub and auth_time, no new refresh token without rotation
    const r = await refresh(idp, String(body.refresh_token));
    expect(r.res.status).toBe(200);
    expect(r.body).not.toHaveProperty('refresh_token');
    const id2 = await verify(idp, String(r.body.id_token));
    const at2 = await verify(idp, String(r.body.access_token));
    expect(id2).toMatchObject({ sub: id.sub, auth_time: id.auth_time, origin_jti: id.origin_jti, token_use: 'id' });
    expect(at2).toMatchObject({ sub: at.sub, auth_time: at.auth_time, token_use: 'access' });
    expect(id2.jti).not.toBe(id.jti);
    // the same refresh token keeps working
    expect((await refresh(idp, String(body.refresh_token))).res.status).toBe(200);

    // a used code is dead
    const again = await exchange(idp, s);
    expect(again.res.status).toBe(400);
    expect(again.body).toEqual({ error: 'invalid_grant' });
  });

  it('revokes a refresh token; refreshing then gives invalid_grant', async () => {
    const browser = new Browser();
    const { body } = await exchange(idp, await signIn(idp, browser, 'bob'));
    const other = await exchange(idp, await signIn(idp, browser, 'bob')); // a second sign-in (another tab)
    const before = idp.revokedCount();

    const res = await revoke(idp, String(body.refresh_token));
    expect(res.status).toBe(200);
    expect(idp.revokedCount()).toBe(before + 1);
    const r = await refresh(idp, String(body.refresh_token));
    expect(r.res.status).toBe(400);
    expect(r.body).toEqual({ error: 'invalid_grant' });
    // the access token of that sign-in is refused by userInfo, the other sign-in lives on
    const ui = await fetch(`${idp.domain}/oauth2/userInfo`, { headers: { authorization: `Bearer ${String(body.access_token)}` } });
    expect(ui.status).toBe(401);
    expect((await refresh(idp, String(other.body.refresh_token))).res.status).toBe(200);

    // unknown refresh token; access tokens cannot be revoked
    expect((await refresh(idp, 'not-a-token')).body).toEqual({ error: 'invalid_grant' });
    const atRevoke = await revoke(idp, String(other.body.access_token));
    expect(atRevoke.status).toBe(400);
    expect(await atRevoke.json()).toEqual({ error: 'unsupported_token_type' });
  });

  it('answers prompt=none without a session with login_required, with a session with a code', async () => {
    const browser = new Browser();
    const { challenge } = pkce();
    const params = { prompt: 'none', state: 'silent-1', code_challenge: challenge, code_challenge_method: 'S256' };
    let res = await browser.fetch(authorizeUrl(idp, params));
    expect(res.status).toBe(302);
    let cb = new URL(location(res, idp.domain));
    expect(cb.origin + cb.pathname).toBe(CALLBACK);
    expect(cb.searchParams.get('error')).toBe('login_required');
    expect(cb.searchParams.get('state')).toBe('silent-1');
    expect(cb.searchParams.get('error_description')).toBeTruthy();

    await signIn(idp, browser);
    res = await browser.fetch(authorizeUrl(idp, params));
    cb = new URL(location(res, idp.domain));
    expect(cb.searchParams.get('code')).toBeTruthy();

    // prompt=login forces the form even with a session
    res = await browser.fetch(authorizeUrl(idp, { ...params, prompt: 'login' }));
    expect(new URL(location(res, idp.domain)).pathname).toMatch(/^\/login\//);
  });

  it('logs out to an allowed logout_uri, ending the hosted-UI session but not the tokens', async () => {
    const browser = new Browser();
    const { body } = await exchange(idp, await signIn(idp, browser));
    idp.requests.length = 0;

    const bad = await browser.fetch(`${idp.domain}/logout?client_id=${idp.clientId}&logout_uri=${encodeURIComponent('https://evil.example/')}`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Required String parameter 'redirect_uri' is not present");

    const res = await browser.fetch(`${idp.domain}/logout?client_id=${idp.clientId}&logout_uri=${encodeURIComponent(SIGNED_OUT)}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(SIGNED_OUT);
    expect(idp.requests.map((r) => `${r.host} ${r.method} ${r.path}`)).toEqual(['domain GET /logout', 'domain GET /logout']);

    // next authorize shows the form again
    const { challenge } = pkce();
    const again = await browser.fetch(authorizeUrl(idp, { state: 's', code_challenge: challenge, code_challenge_method: 'S256' }));
    expect(new URL(location(again, idp.domain)).pathname).toMatch(/^\/login\//);
    // and the refresh token still works (Cognito's /logout revokes nothing)
    expect((await refresh(idp, String(body.refresh_token))).res.status).toBe(200);
  });

  it('refuses what Cognito refuses: no PKCE, unknown redirect_uri, foreign CORS origins', async () => {
    const browser = new Browser();
    let res = await browser.fetch(authorizeUrl(idp, { state: 'no-pkce' }));
    const cb = new URL(location(res, idp.domain));
    expect(cb.searchParams.get('error')).toBe('invalid_request');
    expect(cb.searchParams.get('state')).toBe('no-pkce');

    const { challenge } = pkce();
    res = await browser.fetch(authorizeUrl(idp, { redirect_uri: `${APP}/other`, code_challenge: challenge, code_challenge_method: 'S256' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();

    const pre = await fetch(`${idp.domain}/oauth2/token`, {
      method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(APP);
    const foreign = await fetch(`${idp.domain}/oauth2/token`, {
      method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'POST' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const s = await signIn(idp, browser);
    const denied = await exchange(idp, s, { origin: 'http://127.0.0.1:1' });
    expect(denied.res.status).toBe(400);
    expect(denied.res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses identity_provider and idp_identifier together, as Cognito does: an invalid_request error redirect', async () => {
    const browser = new Browser();
    const { challenge } = pkce();
    const pkceParams = { code_challenge: challenge, code_challenge_method: 'S256' };
    const res = await browser.fetch(authorizeUrl(idp, { state: 'both-1', ...pkceParams, identity_provider: 'COGNITO', idp_identifier: 'example.com' }));
    expect(res.status).toBe(302);
    const cb = new URL(location(res, idp.domain));
    expect(cb.origin + cb.pathname).toBe(CALLBACK);
    expect(cb.searchParams.get('error')).toBe('invalid_request');
    expect(cb.searchParams.get('state')).toBe('both-1');
    expect(cb.searchParams.get('error_description')).toMatch(/identity_provider.*idp_identifier/);
    // to a redirect_uri that is not allowed, no redirect at all
    const bad = await browser.fetch(authorizeUrl(idp, { redirect_uri: `${APP}/other`, ...pkceParams, identity_provider: 'COGNITO', idp_identifier: 'x' }));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('location')).toBeNull();
    // either one alone still reaches the sign-in page
    for (const one of [{ identity_provider: 'COGNITO' }, { idp_identifier: 'example.com' }] as Array<Record<string, string>>) {
      const ok = await browser.fetch(authorizeUrl(idp, { state: 'one', ...pkceParams, ...one }));
      expect(new URL(location(ok, idp.domain)).pathname).toMatch(/^\/login\//);
    }
  });

  it('stays quiet on the console', () => {
    for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
  });
});

describe('local Cognito IdP with refresh-token rotation and short lifetimes', () => {
  let idp: LocalIdp;

  beforeAll(async () => {
    idp = await start({ rotateRefreshTokens: true, accessTokenTtl: 300, idTokenTtl: 300 });
  });
  afterAll(async () => {
    await idp.stop();
  });

  it('returns a new refresh token on each refresh and kills the old one', async () => {
    const { body } = await exchange(idp, await signIn(idp, new Browser(), 'mallory'));
    expect(body.expires_in).toBe(300);
    const id = await verify(idp, String(body.id_token));
    expect(id).not.toHaveProperty('cognito:groups'); // Cognito leaves the claim out for a user in no group
    expect(id.email).toBe('mallory@other.org');

    idp.setTokenLifetime(120);
    const r1 = await refresh(idp, String(body.refresh_token));
    expect(r1.res.status).toBe(200);
    expect(r1.body.expires_in).toBe(120);
    expect(typeof r1.body.refresh_token).toBe('string');
    expect(r1.body.refresh_token).not.toBe(body.refresh_token);
    expect((await verify(idp, String(r1.body.id_token))).auth_time).toBe(id.auth_time);

    const old = await refresh(idp, String(body.refresh_token));
    expect(old.res.status).toBe(400);
    expect(old.body).toEqual({ error: 'invalid_grant' });
  });

  it('refuses an expired refresh token with invalid_grant', async () => {
    idp.setRefreshTokenLifetime(1);
    try {
      const { body } = await exchange(idp, await signIn(idp, new Browser(), 'bob'));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const r = await refresh(idp, String(body.refresh_token));
      expect(r.res.status).toBe(400);
      expect(r.body).toEqual({ error: 'invalid_grant' });
    } finally {
      idp.setRefreshTokenLifetime(30 * 24 * 3600);
    }
    expect(() => idp.setTokenLifetime(0)).toThrow(TypeError);
  });

  it('stop() closes both servers', async () => {
    const other = await start();
    await other.stop();
    await expect(fetch(other.jwksUri)).rejects.toThrow();
    await expect(fetch(`${other.domain}/oauth2/token`, { method: 'POST' })).rejects.toThrow();
  });
});
