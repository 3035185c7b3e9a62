// What the BFF refuses, at the handler level against the local pool: forged and expired tokens
// at the callback, tampered / foreign / expired / stolen cookies, cross-site requests, returnTo
// escapes, proxy path escapes, users the rules refuse.
import http from 'node:http';

import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import type { LocalIdp } from '../../demo/idp/server.mjs';
import { listen } from '../../demo/listen.mjs';
import { memoryStore } from '../../src/server/index.js';
import { APP, AppBrowser, bffFor, body, COOKIE_SECRET, SAME_ORIGIN, startPool } from './harness.js';

let idp: LocalIdp;
beforeAll(async () => {
  idp = await startPool();
});
afterAll(async () => {
  await idp?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const claimsOf = (t: string): Record<string, unknown> => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const headerOf = (t: string): Record<string, unknown> => JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;

/** A man in the middle between the server and the pool's token endpoint. */
function intercept(change: (reply: Record<string, string>) => Promise<Record<string, string>> | Record<string, string>, delayMs = 0): void {
  const real = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const res = await real(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!url.endsWith('/oauth2/token') || !res.ok) return res;
    const reply = await change((await res.json()) as Record<string, string>);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return new Response(JSON.stringify(reply), { status: 200, headers: { 'content-type': 'application/json' } });
  });
}

/**
 * The callback's answer as the page sees it: where it was sent, whether a session cookie came
 * with it, and what the page's next session request reports (the error, once, or the user).
 */
async function outcome(b: AppBrowser, res: Response): Promise<{ location: string; session: boolean; code?: string; reason?: string; error?: string; user?: string }> {
  const location = res.headers.get('location') ?? '';
  const session = res.headers.getSetCookie().some((c) => /^cognito-session\.0=[^;]/.test(c));
  const reply = await b.call('/auth/session');
  const json = reply.status === 401 ? {} : await body(reply);
  const error = (json.error ?? {}) as Record<string, string>;
  const out = { location, session, code: error.code, reason: error.reason, error: error.error, user: (json.user as { principal?: string } | null)?.principal };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as typeof out;
}

describe('tokens refused at the callback', () => {
  it.each([
    ['unsigned (alg none), claiming to be root', (t: string) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claimsOf(t), 'cognito:username': 'root' })}.`, 'alg'],
    ['with a payload changed after signing', (t: string) => {
      const [h, , s] = t.split('.');
      return `${h}.${b64({ ...claimsOf(t), email: 'root@example.com' })}.${s}`;
    }, 'signature'],
    ["signed by another key under the pool's key id", async (t: string) => {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT(claimsOf(t)).setProtectedHeader({ alg: 'RS256', kid: headerOf(t).kid as string }).sign(privateKey);
    }, 'signature'],
  ])('an ID token %s: id_token_invalid, no session', async (_name, forge, reason) => {
    const b = new AppBrowser(bffFor(idp));
    intercept(async (reply) => ({ ...reply, id_token: await forge(reply.id_token!) }));
    const res = await b.signIn('/auth/login?returnTo=/here');
    expect(res.status).toBe(303);
    expect(await outcome(b, res)).toEqual({ location: `${APP}/here`, session: false, code: 'id_token_invalid', reason });
    expect((await b.call('/auth/session')).status).toBe(401); // reported once; nobody signed in
  });

  it('an access token swapped for one of another client: refused (at_hash)', async () => {
    const b = new AppBrowser(bffFor(idp));
    intercept(async (reply) => {
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({ ...claimsOf(reply.access_token!), client_id: 'someone-else' }).setProtectedHeader({ alg: 'RS256', kid: 'x' }).sign(privateKey);
      return { ...reply, access_token: forged };
    });
    expect(await outcome(b, await b.signIn())).toMatchObject({ code: 'id_token_invalid', reason: 'at_hash', session: false });
  });

  it('expired tokens (a reply held up in transit): refused', async () => {
    idp.setTokenLifetime(1);
    try {
      const b = new AppBrowser(bffFor(idp, { maxClockSkew: 0 }));
      intercept((reply) => reply, 2100);
      expect(await outcome(b, await b.signIn())).toMatchObject({ code: 'id_token_invalid', reason: 'exp', session: false });
    } finally {
      idp.setTokenLifetime(3600);
    }
  });

  it('a user the rules refuse (enforcePrincipalDomain) gets no session', async () => {
    const b = new AppBrowser(bffFor(idp, { principalDomain: 'example.com', enforcePrincipalDomain: true }));
    const res = await b.signIn('/auth/login', 'mallory');
    expect(await outcome(b, res)).toMatchObject({ code: 'principal_domain_forbidden', session: false });
  });

  it('a session the user rules refuse now (config changed, or claims after a renew) ends: 401, signedOut user_refused', async () => {
    const b = new AppBrowser(bffFor(idp));
    await b.signIn('/auth/login', 'bob');
    const strict = bffFor(idp, { principalDomain: 'company.example', enforcePrincipalDomain: true });
    const res = await b.call('/auth/session', {}, strict);
    expect(res.status).toBe(401);
    expect(await body(res)).toMatchObject({ code: 'principal_domain_forbidden', signedOut: 'user_refused' });
    expect(b.jar.size).toBe(0);
  });

  it("Cognito's error without state still reaches the page; a replayed callback is state_mismatch, or nothing when signed in", async () => {
    const b = new AppBrowser(bffFor(idp));
    expect(await outcome(b, await b.fetch('/callback?error=access_denied&error_description=no'))).toEqual({ location: `${APP}/`, session: false, code: 'idp_error', error: 'access_denied' });
    const callback = await b.toCallback();
    expect(await outcome(b, await b.fetch(callback))).toMatchObject({ session: true, user: 'alice' });
    expect(await outcome(b, await b.fetch(callback))).toEqual({ location: `${APP}/`, session: false, user: 'alice' }); // signed in: changes nothing
    const other = new AppBrowser(b.bff);
    expect(await outcome(other, await other.fetch(callback))).toMatchObject({ code: 'state_mismatch' });
  });
});

describe('cookies', () => {
  it('a tampered, foreign or transplanted cookie reads as signed out (and is cleared)', async () => {
    const b = new AppBrowser(bffFor(idp));
    await b.signIn();
    const value = b.jar.get('cognito-session.0')!;
    expect((await b.call('/auth/session')).status).toBe(200);

    const tampered = `${value.slice(0, -6)}${value.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
    const res = await b.call('/auth/session', { headers: { cookie: `cognito-session.0=${tampered}` } });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/^cognito-session\.0=; .*Max-Age=0/)]);

    const foreign = bffFor(idp, { cookieSecret: 'another-apps-cookie-secret-0123456789-xyz' });
    expect((await b.call('/auth/session', { headers: { cookie: `cognito-session.0=${value}` } }, foreign)).status).toBe(401);
    // The same secret, but the transaction cookie's key: one can't stand in for the other.
    await b.fetch('/auth/login');
    const tx = b.jar.get('cognito-tx.0');
    expect(tx).toMatch(/^ey/);
    expect((await b.call('/auth/session', { headers: { cookie: `cognito-session.0=${tx}` } })).status).toBe(401);
  });

  it('cookieSecret rotation: the old secret still opens (and a rewrite seals with the new one); retiring it signs out', async () => {
    const OLD = 'the-old-cookie-secret-0123456789-abcdefgh';
    const b = new AppBrowser(bffFor(idp, { cookieSecret: OLD }));
    await b.signIn();
    const old = b.cookieHeader();
    const rotated = await b.call('/auth/session', {}, bffFor(idp, { cookieSecret: [COOKIE_SECRET, OLD] }));
    expect(rotated.status).toBe(200);
    expect(rotated.headers.getSetCookie()).toHaveLength(1); // rewritten (the sign-in reported), under the new secret
    expect((await b.call('/auth/session', {}, bffFor(idp, { cookieSecret: [COOKIE_SECRET] }))).status).toBe(200);
    expect((await b.call('/auth/session', { headers: { cookie: old } }, bffFor(idp, { cookieSecret: [COOKIE_SECRET] }))).status).toBe(401);
  });

  it('an expired session (sessionExpiry) reads as signed out, saying so once', async () => {
    const b = new AppBrowser(bffFor(idp, { sessionExpiry: 1 }));
    await b.signIn();
    await new Promise((r) => setTimeout(r, 2100));
    const res = await b.call('/auth/session');
    expect(res.status).toBe(401);
    expect(await body(res)).toMatchObject({ code: 'session_expired', signedOut: 'session_expired' });
    expect(b.jar.size).toBe(0);
  });

  it.each([['the session cookie', undefined], ['a store', memoryStore()]])('a cookie copied before sign-out no longer works after it (%s)', async (_name, store) => {
    const b = new AppBrowser(bffFor(idp, store ? { store } : {}));
    await b.signIn();
    const stolen = b.cookieHeader();
    expect((await b.call('/auth/session', { headers: { cookie: stolen } })).status).toBe(200);
    expect((await b.call('/auth/logout', { method: 'POST' })).status).toBe(200);
    const replay = await b.call('/auth/session', { headers: { cookie: stolen } });
    expect(replay.status).toBe(401);
    expect(await body(replay)).toMatchObject({ code: 'login_required' });
  });

  it('over https: __Host- prefixed, Secure', async () => {
    const bff = bffFor(idp, { callbackUrl: 'https://app.example.com/callback', serverUrl: 'https://app.example.com' });
    const res = await bff.handler(new Request('https://app.example.com/auth/login'));
    expect(res?.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Host-cognito-tx\.0=[\w.-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=3600; Secure$/)]);
  });
});

describe('cross-site requests', () => {
  const ROUTES: Array<[string, string]> = [['GET', '/auth/session'], ['POST', '/auth/logout'], ['POST', '/auth/switch'], ['GET', '/auth/userinfo'], ['GET', '/auth/token'], ['GET', '/api/x'], ['POST', '/api/x']];
  let b: AppBrowser;
  beforeAll(async () => {
    b = new AppBrowser(bffFor(idp, { exposeAccessToken: true, proxy: { '/api': 'http://127.0.0.1:9/' } }));
    await b.signIn();
  });

  it.each(ROUTES)('%s %s: refused without X-CSRF: 1', async (method, path) => {
    const res = await b.fetch(path, { method, headers: { 'sec-fetch-site': 'same-origin', origin: APP } });
    expect(res.status).toBe(403);
    expect(await body(res)).toMatchObject({ code: 'cross_site_refused' });
  });

  it.each(ROUTES)('%s %s: refused from another site or a same-site page of another origin (Sec-Fetch-Site)', async (method, path) => {
    for (const site of ['cross-site', 'same-site', 'none']) {
      expect((await b.fetch(path, { method, headers: { 'x-csrf': '1', 'sec-fetch-site': site, origin: APP } })).status).toBe(403);
    }
  });

  it.each(ROUTES)("%s %s: refused with another Origin; a change (POST) needs the app's Origin", async (method, path) => {
    expect((await b.fetch(path, { method, headers: { ...SAME_ORIGIN, origin: 'http://127.0.0.1:6666' } })).status).toBe(403);
    if (method === 'POST') expect((await b.fetch(path, { method, headers: SAME_ORIGIN })).status).toBe(403);
  });

  it('no CORS: a preflight is refused and no answer carries Access-Control-*', async () => {
    for (const path of ['/auth/session', '/auth/logout', '/api/x']) {
      const res = await b.fetch(path, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-csrf' } });
      expect(res.status).toBe(405);
      expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    }
    const ok = await b.call('/auth/session');
    expect([...ok.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
  });

  it('login and the callback need no header: they are navigations', async () => {
    const c = new AppBrowser(b.bff);
    const res = await c.signIn();
    expect(res.status).toBe(303);
    expect((await c.call('/auth/session')).status).toBe(200);
  });
});

describe('returnTo escapes', () => {
  it.each(['//evil.example/x', '/\\evil.example/x', '\\\\evil.example', 'https://evil.example/', 'javascript:alert(1)', 'http://127.0.0.1:5999/', '/.//evil.example/', '/%2F%2Fevil.example', ' //evil.example', '\t//evil.example', 'http:evil.example'])(
    'returnTo=%j never leaves the origin', async (returnTo) => {
      const b = new AppBrowser(bffFor(idp));
      const start = await b.fetch(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
      let location: string;
      if (start.status === 303) {
        // Refused at once: back to the app, which hears why.
        location = start.headers.get('location')!;
        expect(await outcome(b, start)).toMatchObject({ code: 'invalid_config' });
      } else {
        location = (await b.fetch(await b.toCallback(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`))).headers.get('location')!;
      }
      expect(location.startsWith(`${APP}/`)).toBe(true);
      expect(new URL(location).origin).toBe(APP);
    },
  );
});

describe('proxy paths', () => {
  let api: http.Server;
  const reached: string[] = [];
  let b: AppBrowser;
  beforeAll(async () => {
    api = http.createServer((req, res) => {
      reached.push(req.url ?? '');
      res.end('ok');
    });
    const port = await listen(api, 0);
    b = new AppBrowser(bffFor(idp, { proxy: { '/api': `http://127.0.0.1:${port}/base` } }));
    await b.signIn();
  });
  afterAll(async () => {
    await new Promise((r) => api.close(r));
  });

  it.each(['/api/..%2fadmin', '/api/%2e%2e%2fadmin', '/api/%252e%252e/admin', '/api/x/%5c..%5cadmin', '/api/%5cadmin', '/api/a%00b', '/api/%2E%2e/admin'])('%s is refused before it reaches the API', async (path) => {
    reached.length = 0;
    const res = await b.call(path);
    expect([404]).toContain(res.status);
    expect(reached).toEqual([]);
  });

  it('dot segments resolve before routing: /api/../admin is not a proxied path', async () => {
    reached.length = 0;
    expect((await b.call('/api/../admin')).status).toBe(404);
    expect((await b.call('/api/%2e%2e/admin')).status).toBe(404);
    expect(reached).toEqual([]);
  });

  it('a path of the prefix only on a segment boundary; what passes stays under the base path', async () => {
    reached.length = 0;
    expect((await b.call('/apix')).status).toBe(404);
    expect((await b.call('/api')).status).toBe(200);
    expect((await b.call('/api/a/b%20c?x=%2F..')).status).toBe(200);
    expect(reached).toEqual(['/base', '/base/a/b%20c?x=%2F..']);
  });

  it('signed out: 401 login_required, nothing forwarded', async () => {
    reached.length = 0;
    const res = await new AppBrowser(b.bff).call('/api/x');
    expect(res.status).toBe(401);
    expect(await body(res)).toMatchObject({ code: 'login_required', signedOut: 'other_tab' });
    expect(reached).toEqual([]);
  });
});
