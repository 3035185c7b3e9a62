// The BFF's flows at the handler level, against the local Cognito-shaped pool (demo/idp):
// login -> callback -> session -> proxy -> refresh -> logout, with both client authentication methods.
import http from 'node:http';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { LocalIdp } from '../../demo/idp/server.mjs';
import { listen } from '../../demo/listen.mjs';
import { decodeClaims } from '../../src/jwt.js';
import { APP, AppBrowser, bffFor, body, signInDue, startPool, tokenRequests } from './harness.js';

let idp: LocalIdp;
let api: http.Server;
let apiUrl: string;
const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  idp = await startPool({ rotateRefreshTokens: true });
  // The API behind the proxy: echoes what reached it.
  api = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text });
      if (req.url?.startsWith('/v1/redirect')) {
        res.writeHead(302, { Location: 'https://elsewhere.example/' }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'api=1; Path=/', Connection: 'X-Secret-Hop', 'X-Secret-Hop': 'h', 'X-Api': 'yes' });
      res.end(JSON.stringify({ method: req.method, url: req.url, body: text }));
    });
  });
  apiUrl = `http://127.0.0.1:${await listen(api, 0)}/v1`;
});
afterAll(async () => {
  await idp?.stop();
  await new Promise((r) => api?.close(r));
});

describe.each(['client_secret_basic', 'client_secret_post'] as const)('BFF with %s', (method) => {
  it('signs in, answers the session, proxies with the access token, renews, signs out', async () => {
    const b = new AppBrowser(bffFor(idp, { proxy: { '/api': apiUrl } }, method));
    const client = idp.confidentialClients.find((c) => c.method === method)!;
    idp.clientAuth.length = 0;

    // login: a 302 to the hosted UI with PKCE, state and nonce; the transaction in a Lax cookie.
    const start = await b.fetch('/auth/login?returnTo=%2Fpage%3Fx%3D1%23frag&prompt=login');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin + authorize.pathname).toBe(`${idp.domain}/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({ client_id: client.clientId, response_type: 'code', code_challenge_method: 'S256', prompt: 'login', redirect_uri: `${APP}/callback` });
    expect(authorize.searchParams.get('client_secret')).toBeNull();
    expect(start.headers.getSetCookie()).toEqual([expect.stringMatching(/^cognito-tx\.0=[\w.-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=3600$/)]);

    // callback: 303 back to returnTo with the session cookie (HttpOnly, Strict; plain http on loopback: no __Host-, no Secure).
    b.jar.clear();
    const res = await signInDue(idp, b, '/auth/login?returnTo=%2Fpage%3Fx%3D1%23frag'); // the first session request renews
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${APP}/page?x=1#frag`);
    const cookies = res.headers.getSetCookie();
    expect(cookies).toContainEqual(expect.stringMatching(/^cognito-session\.0=[\w.-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/));
    expect(cookies).toContainEqual(expect.stringMatching(/^cognito-tx\.0=; .*Max-Age=0/));
    expect(idp.clientAuth.filter((a) => a.path === '/oauth2/token')).toEqual([{ path: '/oauth2/token', clientId: client.clientId, method, status: 200 }]);

    // session: the user as the browser SDK maps it, renewed first (its token was due).
    const before = tokenRequests(idp);
    const session = await b.call('/auth/session');
    expect(session.status).toBe(200);
    const { user, exposeAccessToken } = (await body(session)) as { user: { principal: string; isAdmin: boolean; attributes: Record<string, string>; expiresAt: number }; exposeAccessToken: boolean };
    expect(user).toMatchObject({ principal: 'alice', isAdmin: true, attributes: { username: 'alice', email: 'alice@example.com' } });
    expect(user.expiresAt - Date.now() / 1000).toBeGreaterThan(3000);
    expect(exposeAccessToken).toBe(false);
    expect(tokenRequests(idp) - before).toBe(1);
    expect(session.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^cognito-session\.0=/)); // the renewed tokens
    // Renewed once: the next request uses them as they are.
    expect((await b.call('/auth/session')).status).toBe(200);
    expect(tokenRequests(idp) - before).toBe(1);

    // proxy: Authorization Bearer with the session's access token; no cookie, no CSRF header, no hop-by-hop.
    seen.length = 0;
    const proxied = await b.call('/api/items/7?q=a%20b', { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json', connection: 'keep-alive, x-private', 'x-private': 'p', te: 'trailers' } });
    expect(proxied.status).toBe(200);
    expect(await proxied.json()).toEqual({ method: 'POST', url: '/v1/items/7?q=a%20b', body: '{"n":1}' });
    const upstream = seen[0]!;
    const access = decodeClaims(upstream.headers.authorization?.replace(/^Bearer /, ''));
    expect(access).toMatchObject({ token_use: 'access', client_id: client.clientId, username: 'alice' });
    expect(upstream.headers).not.toHaveProperty('cookie');
    expect(upstream.headers).not.toHaveProperty('x-csrf');
    expect(upstream.headers).not.toHaveProperty('x-private');
    expect(upstream.headers).not.toHaveProperty('te');
    expect(proxied.headers.get('x-api')).toBe('yes');
    expect(proxied.headers.getSetCookie()).toEqual([]); // the API can't set cookies on the app's origin
    expect(proxied.headers.get('x-secret-hop')).toBeNull();
    // Redirects come back as they are, not followed.
    const redirected = await b.call('/api/redirect');
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe('https://elsewhere.example/');
    expect(seen.map((r) => r.url)).toEqual(['/v1/items/7?q=a%20b', '/v1/redirect']);

    // logout: revokes the refresh token (Basic, as Cognito documents for /oauth2/revoke), ends the session, answers Cognito's /logout URL.
    const revokedBefore = idp.revokedCount();
    const out = await b.call('/auth/logout', { method: 'POST' });
    expect(out.status).toBe(200);
    const { url } = (await body(out)) as { url: string };
    expect(url).toBe(`${idp.domain}/logout?client_id=${client.clientId}&logout_uri=${encodeURIComponent(`${APP}/`)}`);
    expect(idp.revokedCount()).toBe(revokedBefore + 1);
    expect(idp.clientAuth.at(-1)).toMatchObject({ path: '/oauth2/revoke', clientId: client.clientId, method: 'client_secret_basic', status: 200 });
    // The session cookie cleared; a browser-session mark says the user signed out here (until the next sign-in).
    expect(out.headers.getSetCookie()).toEqual([expect.stringMatching(/^cognito-session\.0=; .*Max-Age=0/), 'cognito-signed-out=1; Path=/; HttpOnly; SameSite=Strict']);
    expect([...b.jar.keys()]).toEqual(['cognito-signed-out']);
    const after = await b.call('/auth/session');
    expect(after.status).toBe(401);
    expect(await body(after)).toMatchObject({ code: 'login_required', signedOut: 'user' });
    const again = await b.fetch('/auth/login');
    expect(again.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^cognito-signed-out=; .*Max-Age=0/));
    expect((await body(await b.call('/auth/session'))).signedOut).toBe('other_tab');
    const loggedOut = await b.idp.fetch(url);
    expect(loggedOut.status).toBe(302);
    expect(loggedOut.headers.get('location')).toBe(`${APP}/`);
  });
});

describe('renewing in cookie sessions (one server instance, rotation on)', () => {
  it('concurrent requests: one refresh; a request still carrying the old cookie gets the new tokens', async () => {
    const bff = bffFor(idp);
    const b = new AppBrowser(bff);
    await signInDue(idp, b);
    const stale = b.cookieHeader();
    const before = tokenRequests(idp);
    const answers = await Promise.all(Array.from({ length: 8 }, () => b.call('/auth/session')));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(tokenRequests(idp) - before).toBe(1);
    // A request that left before the new cookie arrived: its refresh token is rotated out, yet it
    // gets the successor (and the cookie that holds it), not a sign-out.
    const late = await b.call('/auth/session', { headers: { cookie: stale } });
    expect(late.status).toBe(200);
    expect(late.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^cognito-session\.0=[^;]/));
    expect(tokenRequests(idp) - before).toBe(1);
  });

  it('a refused refresh token (revoked elsewhere) ends the session: 401, signedOut invalid_grant', async () => {
    const b = new AppBrowser(bffFor(idp, { exposeAccessToken: true }));
    await b.signIn();
    const other = new AppBrowser(b.bff);
    other.jar.set('cognito-session.0', b.jar.get('cognito-session.0')!);
    expect((await other.call('/auth/logout', { method: 'POST' }, bffFor(idp))).status).toBe(200); // another instance revokes it
    const res = await b.call('/auth/token?forceRefresh=1');
    expect(res.status).toBe(401);
    expect(await body(res)).toMatchObject({ code: 'login_required', signedOut: 'invalid_grant' });
    expect(b.jar.size).toBe(0);
  });

  it('a transient fault while renewing keeps a still-valid session; without one it is network_error (503), signed in still', async () => {
    const b = new AppBrowser(bffFor(idp, { exposeAccessToken: true, requestTimeout: 500 }));
    await b.signIn();
    const real = globalThis.fetch;
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith('/oauth2/token')) throw new TypeError('fetch failed');
      return real(input, init);
    });
    try {
      const forced = await b.call('/auth/token?forceRefresh=1');
      expect(forced.status).toBe(503);
      const reply = await body(forced);
      expect(reply).toMatchObject({ code: 'network_error' });
      expect(reply.signedOut).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    expect((await b.call('/auth/session')).status).toBe(200);
  });
});

describe('what real pools do, on renew', () => {
  it('an app client fault (invalid_client) keeps the session and says so: 502 when forced, the valid tokens otherwise', async () => {
    const b = new AppBrowser(bffFor(idp, { exposeAccessToken: true }));
    await b.signIn();
    idp.switches.refreshError = 'invalid_client';
    try {
      const forced = await b.call('/auth/token?forceRefresh=1');
      expect(forced.status).toBe(502);
      const reply = await body(forced);
      expect(reply).toMatchObject({ code: 'token_request_failed' });
      expect(reply.signedOut).toBeUndefined();
    } finally {
      idp.switches.refreshError = null;
    }
    expect((await b.call('/auth/session')).status).toBe(200);
  });

  it('rotation that moves auth_time forward (Cognito does) still renews', async () => {
    idp.switches.rotationMovesAuthTime = true;
    try {
      const b = new AppBrowser(bffFor(idp, { exposeAccessToken: true }));
      await b.signIn();
      await new Promise((r) => setTimeout(r, 1100)); // auth_time moves by whole seconds
      const renewed = await b.call('/auth/token?forceRefresh=1');
      expect(renewed.status).toBe(200);
      expect((await b.call('/auth/session')).status).toBe(200);
    } finally {
      idp.switches.rotationMovesAuthTime = false;
    }
  });
});

describe('userInfo through the BFF', () => {
  it("GET {basePath}/userinfo answers Cognito's /oauth2/userInfo for the session, by the SDK's own fetchUserInfo", async () => {
    const b = new AppBrowser(bffFor(idp));
    await b.signIn('/auth/login', 'alice');
    const res = await b.call('/auth/userinfo');
    expect(res.status).toBe(200);
    const info = await body(res);
    expect(info).toMatchObject({ sub: idp.users.find((u) => u.username === 'alice')!.sub, email: 'alice@example.com', email_verified: true });
    expect(idp.requests.at(-1)).toMatchObject({ host: 'domain', method: 'GET', path: '/oauth2/userInfo' });
    expect((await new AppBrowser(b.bff).call('/auth/userinfo')).status).toBe(401);
  });
});

describe('getSession(req), for the app server', () => {
  it("gives the signed-in request's user and tokens, null otherwise", async () => {
    const bff = bffFor(idp);
    const b = new AppBrowser(bff);
    await b.signIn();
    const session = await bff.getSession(new Request(`${APP}/page`, { headers: { cookie: b.cookieHeader() } }));
    expect(session?.user.principal).toBe('alice');
    expect(decodeClaims(session?.accessToken)).toMatchObject({ token_use: 'access' });
    expect(decodeClaims(session?.idToken)).toMatchObject({ token_use: 'id' });
    expect(session?.setCookies).toEqual([]);
    expect(await bff.getSession(new Request(`${APP}/page`))).toBeNull();
  });
});

describe("Cognito's other pages, for signUp(), forgotPassword() and switchAccount()", () => {
  it.each([
    ['screen=signup', '/signup'],
    [`options=${encodeURIComponent(JSON.stringify({ screen: 'forgotPassword', returnTo: '/after' }))}`, '/forgotPassword'],
  ])('login?%s goes to %s with a sign-in\'s parameters', async (query, path) => {
    const b = new AppBrowser(bffFor(idp));
    const res = await b.fetch(`/auth/login?${query}`);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin + to.pathname).toBe(`${idp.domain}${path}`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ response_type: 'code', redirect_uri: `${APP}/callback`, code_challenge_method: 'S256' });
    expect(b.jar.has('cognito-tx.0')).toBe(true);
  });

  it('an unknown screen comes back as invalid_config', async () => {
    const b = new AppBrowser(bffFor(idp));
    const res = await b.fetch('/auth/login?screen=admin');
    expect(res.status).toBe(303);
    expect(await body(await b.call('/auth/session'))).toMatchObject({ user: null, error: { code: 'invalid_config' } });
  });

  it("switch: the session ends (revoked), then Cognito's /logout with a sign-in's parameters leads to the next user's session", async () => {
    const b = new AppBrowser(bffFor(idp));
    await b.signIn('/auth/login', 'alice');
    const revoked = idp.revokedCount();
    const res = await b.call('/auth/switch', { method: 'POST', body: JSON.stringify({ returnTo: '/next' }) });
    expect(res.status).toBe(200);
    const { url } = (await body(res)) as { url: string };
    const to = new URL(url);
    expect(to.origin + to.pathname).toBe(`${idp.domain}/logout`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ client_id: idp.confidentialClients[0]!.clientId, response_type: 'code', redirect_uri: `${APP}/callback` });
    expect(idp.revokedCount()).toBe(revoked + 1);
    expect(b.jar.has('cognito-session.0')).toBe(false);
    // Cognito ends its session and shows its sign-in page; bob signs in; the callback makes his session.
    let step = await b.idp.fetch(url);
    const authorize = new URL(step.headers.get('location')!, idp.domain).href;
    step = await b.idp.fetch(authorize);
    const form = new URL(step.headers.get('location')!, idp.domain).href;
    expect(form).toContain('/login/');
    step = await b.idp.post(form, { username: 'bob', password: 'Password1!' });
    step = await b.idp.fetch(new URL(step.headers.get('location')!, idp.domain).href);
    const done = await b.fetch(step.headers.get('location')!);
    expect(done.headers.get('location')).toBe(`${APP}/next`);
    expect(await body(await b.call('/auth/session'))).toMatchObject({ user: { principal: 'bob' }, signedIn: true, returnTo: '/next' });
  });
});
