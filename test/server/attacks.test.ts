// An outside reviewer's attacks on the BFF, each through the public API (bff.handler, or
// toNodeHandler over node:http): what security.test.ts does not already cover.
import http from 'node:http';
import { inspect } from 'node:util';

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import type { LocalIdp } from '../../demo/idp/server.mjs';
import { listen } from '../../demo/listen.mjs';
import { memoryStore, toNodeHandler, type CognitoBff } from '../../src/server/index.js';
import { location } from '../idp/harness.js';
import { APP, AppBrowser, bffFor, body, SAME_ORIGIN, signInDue, startPool } from './harness.js';

let idp: LocalIdp;
let api: http.Server;
let apiUrl: string;
const seen: http.IncomingHttpHeaders[] = [];
const paths: string[] = [];
let app: http.Server;
let base: string;
let nodeBff: CognitoBff;

beforeAll(async () => {
  // The API behind the proxy: records the headers that reach it; /cached answers as a cacheable resource.
  api = http.createServer((req, res) => {
    seen.push(req.headers);
    paths.push(req.url ?? '');
    const cache = new URL(req.url ?? '/', 'http://x').searchParams.get('cc');
    const targeted = cache ? { 'Cache-Control': cache, 'CDN-Cache-Control': 'max-age=600', 'Surrogate-Control': 'max-age=600' } : {};
    const cors = { 'Access-Control-Allow-Origin': req.headers.origin ?? '*', 'Access-Control-Allow-Credentials': 'true' };
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Last-Modified': new Date(0).toUTCString(), ...targeted, ...cors });
    res.end('data of this user');
  });
  apiUrl = `http://127.0.0.1:${await listen(api, 0)}/v1`;
  app = http.createServer();
  base = `http://127.0.0.1:${await listen(app, 0)}`;
  idp = await startPool({ redirectUris: [`${APP}/callback`, `${base}/callback`], logoutUris: [`${APP}/`, `${base}/`] });
  nodeBff = bffFor(idp, { callbackUrl: `${base}/callback` });
  const node = toNodeHandler(nodeBff, (_req, res) => {
    res.statusCode = 200;
    res.end('the app\n');
  });
  app.on('request', (req, res) => void node(req, res));
});
afterAll(async () => {
  await idp?.stop();
  for (const s of [app, api]) {
    s?.closeAllConnections();
    await new Promise((r) => s?.close(r));
  }
});

/** From a login route's 302 through the hosted UI (alice) to the callback's answer. */
async function complete(b: AppBrowser, start: Response): Promise<Response> {
  const authorize = location(start, APP);
  let res = await b.idp.fetch(authorize);
  const next = location(res, authorize);
  if (next.includes('/login/')) {
    res = await b.idp.post(next, { username: 'alice', password: 'Password1!' });
    res = await b.idp.fetch(location(res, next));
  }
  return b.fetch(location(res, authorize));
}

/** A GET over node:http that, like a browser, takes response headers larger than fetch() does. */
function bigAnswer(url: string, headers: Record<string, string>): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, maxHeaderSize: 1 << 20 }, (res) => {
      res.resume();
      const h = new Headers();
      for (const [k, v] of Object.entries(res.headers)) for (const one of [v ?? []].flat()) h.append(k, one);
      resolve(new Response(null, { status: res.statusCode, headers: h }));
    });
    req.on('error', reject);
  });
}

/**
 * The cookies a browser sends on a navigation that another site started (a link, Cognito's redirect
 * to the callback): the Lax ones only; the BFF's Strict session, sign-out mark and notice stay behind.
 */
const laxOnly = (b: AppBrowser): string => [...b.jar].filter(([k]) => k.startsWith('cognito-tx.')).map(([k, v]) => `${k}=${v}`).join('; ');

/** A top-level navigation that another site's page started (a link, a form, `location = ...`). */
const CROSS_SITE = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };

describe('the login route, which any site can navigate a browser to', () => {
  it("a link with a huge returnTo can't grow the browser's cookies beyond what the server reads (431 for an hour)", async () => {
    const b = new AppBrowser(nodeBff, base);
    const attack = `/auth/login?returnTo=${encodeURIComponent(`/${'r'.repeat(12_000)}`)}`;
    const start = await bigAnswer(`${base}${attack}`, CROSS_SITE);
    expect([302, 303]).toContain(start.status);
    b.keep(start);
    const next = await b.call('/auth/session');
    expect(next.status).not.toBe(431);
    expect(await body(next)).toMatchObject({ user: null, error: { code: 'invalid_config', message: expect.stringMatching(/too large/) } });
    expect(await fetch(`${base}/page`, { headers: { cookie: b.cookieHeader() } }).then((r) => r.status)).toBe(200);
  });

  it('a signed-in browser sent there keeps working too; the app\'s own appState of 4,000 characters still fits', async () => {
    const b = new AppBrowser(nodeBff, base);
    await b.signIn();
    const own = `/auth/login?appState=${encodeURIComponent(JSON.stringify('s'.repeat(4000)))}`;
    expect((await b.fetch(await b.toCallback(own))).status).toBe(303);
    expect(await body(await b.call('/auth/session'))).toMatchObject({ signedIn: true, appState: 's'.repeat(4000) });
    const room = 16_000 - b.cookieHeader().length;
    const attack = `/auth/login?returnTo=${encodeURIComponent(`/${'r'.repeat(room - 600)}`)}`;
    b.keep(await bigAnswer(`${base}${attack}`, { ...CROSS_SITE, cookie: b.cookieHeader() }));
    expect((await b.call('/auth/session')).status).toBe(200);
  });

});

describe('the notice of a failed sign-in, which any site can leave', () => {
  it('a long error_description makes no notice cookie that browsers drop (over 4,096 bytes) or that outgrows the cookie budget', async () => {
    const b = new AppBrowser(nodeBff, base);
    await b.signIn();
    await b.call('/auth/session');
    const link = (path: string): Promise<Response> => bigAnswer(`${base}${path}`, { ...CROSS_SITE, cookie: laxOnly(b) });
    b.keep(await link(`/auth/login?returnTo=/${'r'.repeat(4900)}`));
    expect(b.jar.has('cognito-tx.1')).toBe(true); // two chunks: as large as the BFF lets it be
    b.keep(await link(`/callback?error=access_denied&error_description=${'d'.repeat(3000)}`));
    expect((b.jar.get('cognito-error') ?? '').length).toBeLessThan(1500);
    const res = await b.call('/auth/session');
    expect(res.status).toBe(200);
    expect(await body(res)).toMatchObject({ user: { principal: 'alice' } });
    // Signed out, the page hears it, shortened.
    const out = new AppBrowser(nodeBff, base);
    out.keep(await bigAnswer(`${base}/callback?error=access_denied&error_description=${'d'.repeat(3000)}`, CROSS_SITE));
    expect(await body(await out.call('/auth/session'))).toMatchObject({ user: null, error: { code: 'idp_error', error: 'access_denied', errorDescription: expect.stringMatching(/^d{200,}/) } });
  });
});

describe('appState, which only the app itself gives', () => {
  it('a sign-in that another site started carries no appState of its choosing to the page', async () => {
    const b = new AppBrowser(bffFor(idp));
    const forged = encodeURIComponent(JSON.stringify({ next: 'https://evil.example/', form: { to: 'mallory' } }));
    const start = await b.fetch(`/auth/login?returnTo=/transfer&appState=${forged}`, { headers: CROSS_SITE });
    if (start.status === 302) await complete(b, start);
    const res = await b.call('/auth/session');
    const reply = res.status === 200 ? await body(res) : {};
    expect(reply.appState).toBeUndefined();
    // The app's own sign-in (a same-origin navigation) still carries its appState.
    const own = new AppBrowser(b.bff);
    const login = `/auth/login?appState=${encodeURIComponent(JSON.stringify({ tab: 2 }))}`;
    const back = await own.fetch(await own.toCallback(login));
    expect(back.status).toBe(303);
    expect(await body(await own.call('/auth/session'))).toMatchObject({ signedIn: true, appState: { tab: 2 } });
  });
});

describe('the callback, which any site can navigate a browser to', () => {
  it("Cognito's error without state, forged by another site, doesn't show a signed-in page as signed out", async () => {
    const b = new AppBrowser(bffFor(idp));
    await b.signIn();
    await b.call('/auth/session'); // the sign-in reported
    const forged = await b.fetch('/callback?error=access_denied&error_description=Your+account+is+locked.+Call+555-0100', { headers: { ...CROSS_SITE, cookie: laxOnly(b) } });
    expect(forged.status).toBe(303);
    const res = await b.call('/auth/session');
    expect(res.status).toBe(200);
    expect(await body(res)).toMatchObject({ user: { principal: 'alice' } });
  });
});

describe('failed sign-ins that another site starts', () => {
  it.each([
    ['a returnTo of another origin', 'returnTo=https://evil.example/'],
    ['appState', 'appState=%7B%7D'],
    ['an unknown screen', 'screen=nope'],
    ['a returnTo too large for the cookie', `returnTo=/${'r'.repeat(9000)}`],
  ])('%s from another site: a signed-in page stays signed in; signed out, it hears why', async (_name, query) => {
      const b = new AppBrowser(bffFor(idp));
      const refused = await b.fetch(`/auth/login?${query}`, { headers: CROSS_SITE });
      expect(refused.status).toBe(303);
      expect(await body(await b.call('/auth/session'))).toMatchObject({ user: null, error: { code: 'invalid_config' } });
      await b.signIn();
      await b.call('/auth/session'); // the sign-in reported
      expect((await b.fetch(`/auth/login?${query}`, { headers: { ...CROSS_SITE, cookie: laxOnly(b) } })).status).toBe(303);
      const res = await b.call('/auth/session');
      expect(res.status).toBe(200);
      expect(await body(res)).toMatchObject({ user: { principal: 'alice' } });
  });
});

describe('the proxy', () => {
  let b: AppBrowser;
  beforeAll(async () => {
    b = new AppBrowser(bffFor(idp, { proxy: { '/api': apiUrl } }));
    await b.signIn();
  });

  it.each([['max-age=600'], ['public, max-age=600'], ['s-maxage=600'], [null]])(
    "an answer for this user (Cache-Control: %s upstream) can't be stored by a shared cache and served to another user",
    async (cc) => {
      const res = await b.call(`/api/cached${cc === null ? '' : `?cc=${encodeURIComponent(cc)}`}`);
      expect(res.status).toBe(200);
      const directives = (res.headers.get('cache-control') ?? '').toLowerCase().split(',').map((d) => d.trim());
      expect(directives.some((d) => d === 'private' || d === 'no-store')).toBe(true);
      expect(directives.filter((d) => d === 'public' || d.startsWith('s-maxage'))).toEqual([]);
      expect([res.headers.get('cdn-cache-control'), res.headers.get('surrogate-control')]).toEqual([null, null]);
      expect(await res.text()).toBe('data of this user');
    },
  );

  it('what only the proxy in front of the API may say (the client address, host, scheme) is not taken from the browser', async () => {
    seen.length = 0;
    const spoof = { 'x-forwarded-for': '10.0.0.1', 'x-forwarded-host': 'admin.internal', 'x-forwarded-proto': 'https', forwarded: 'for=10.0.0.1;host=admin.internal', 'x-real-ip': '10.0.0.1', 'x-original-url': '/admin', 'x-rewrite-url': '/admin' };
    expect((await b.call('/api/whoami', { headers: spoof })).status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(Object.keys(seen[0]!).filter((k) => k in spoof)).toEqual([]);
  });
});

describe('the proxy, paths that servers behind it read differently', () => {
  let b: AppBrowser;
  beforeAll(async () => {
    b = new AppBrowser(bffFor(idp, { proxy: { '/api': apiUrl } }));
    await b.signIn();
  });

  // Tomcat and Spring drop ";params" from a segment before resolving dot segments ("..;/" climbs);
  // Windows servers drop a segment's trailing dots and spaces ("... ", ".. " are "..").
  it.each(['/api/..;/admin', '/api/..;x=1/admin', '/api/%2e%2e;/admin', '/api/.;/..;/admin', '/api/..%20/admin', '/api/...%20/admin', '/api/x/..%2520;/admin'])(
    '%s is refused before it reaches the API',
    async (path) => {
      paths.length = 0;
      const res = await b.call(path);
      expect(res.status).toBe(404);
      expect(await body(res)).toMatchObject({ code: 'path_refused' });
      expect(paths).toEqual([]);
    },
  );

  it('segments with dots or parameters that climb nowhere still pass', async () => {
    paths.length = 0;
    for (const path of ['/api/v1.2/file.tar.gz', '/api/a;b=1', '/api/.well-known/x', '/api/..a/b']) expect((await b.call(path)).status).toBe(200);
    expect(paths).toEqual(['/v1/v1.2/file.tar.gz', '/v1/a;b=1', '/v1/.well-known/x', '/v1/..a/b']);
  });

  it("no CORS through the proxy either: the API's Access-Control-* don't reach the browser", async () => {
    const res = await b.call('/api/cors', { headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
  });
});

describe('request bodies', () => {
  it.each(['/auth/logout', '/auth/switch'])('POST %s whose body stalls is answered within the request deadline', async (path) => {
    const bff = bffFor(idp, { requestTimeout: 300 });
    const stalled = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"returnTo":'));
      },
    });
    const req = new Request(`${APP}${path}`, { method: 'POST', headers: { ...SAME_ORIGIN, origin: APP }, body: stalled, duplex: 'half' } as RequestInit);
    const answer = bff.handler(req).then(async (r) => r && { status: r.status, code: (await body(r)).code });
    const late = new Promise((r) => setTimeout(() => r('still waiting'), 3000));
    expect(await Promise.race([answer, late])).toEqual({ status: 503, code: 'network_error' });
  });
});

describe('sessions', () => {
  it.each([['cookie sessions', false], ['a store', true]])('a session replaced by a new sign-in in the same browser ends (%s): a copy of its cookie no longer works', async (_name, withStore) => {
    const b = new AppBrowser(bffFor(idp, withStore ? { store: memoryStore() } : {}));
    await b.signIn();
    const first = b.cookieHeader();
    const callback = await b.toCallback(); // the login route is the app's own navigation: every cookie goes
    await b.fetch(callback, { headers: { ...CROSS_SITE, cookie: laxOnly(b) } }); // Cognito's redirect: Lax cookies only
    expect(b.cookieHeader()).not.toBe(first);
    expect((await b.call('/auth/session')).status).toBe(200);
    const replay = await b.call('/auth/session', { headers: { cookie: first } });
    expect(replay.status).toBe(401);
  });
});

describe('session cookies, mixed and matched', () => {
  /** A browser signed in with a session cookie of several chunks (the sign-in's appState is in it until reported). */
  async function chunked(bff: CognitoBff): Promise<AppBrowser> {
    const b = new AppBrowser(bff);
    await b.fetch(await b.toCallback(`/auth/login?appState=${encodeURIComponent(JSON.stringify('s'.repeat(4000)))}`));
    expect(b.jar.has('cognito-session.1')).toBe(true);
    return b;
  }

  it("chunks of two sessions mixed, reordered or cut: signed out, for the routes and for getSession(req)", async () => {
    const bff = bffFor(idp);
    const [a, c] = [await chunked(bff), await chunked(bff)];
    const [a0, a1, c1] = [a.jar.get('cognito-session.0'), a.jar.get('cognito-session.1'), c.jar.get('cognito-session.1')];
    for (const cookie of [`cognito-session.0=${a0}; cognito-session.1=${c1}`, `cognito-session.0=${a1}; cognito-session.1=${a0}`, `cognito-session.0=${a0}`, `cognito-session.1=${a1}`]) {
      const res = await bff.handler(new Request(`${APP}/auth/session`, { headers: { ...SAME_ORIGIN, cookie } }));
      expect(res?.status).toBe(401);
      expect(await bff.getSession(new Request(`${APP}/page`, { headers: { cookie } }))).toBeNull();
    }
    expect((await a.call('/auth/session')).status).toBe(200); // the whole cookie still works
  });

  it('getSession(req) refuses what the routes refuse: a cookie copied before sign-out, or before a new sign-in', async () => {
    const bff = bffFor(idp);
    const b = new AppBrowser(bff);
    await b.signIn();
    const before = b.cookieHeader();
    const page = (cookie: string): Request => new Request(`${APP}/page`, { headers: { cookie } });
    expect(await bff.getSession(page(before))).toMatchObject({ user: { principal: 'alice' } });
    await b.fetch(await b.toCallback(), { headers: { ...CROSS_SITE, cookie: laxOnly(b) } });
    expect(await bff.getSession(page(before))).toBeNull();
    const current = b.cookieHeader();
    expect((await b.call('/auth/logout', { method: 'POST' })).status).toBe(200);
    expect(await bff.getSession(page(current))).toBeNull();
  });
});

describe('cookie names', () => {
  it("a cookie whose name only trims to the session's (a leading no-break space) is not the session: no __Host- bypass, no fixation", async () => {
    // A sibling subdomain can set "\u00a0__Host-cognito-session.0" (no prefix rules for it) with Domain=.example.com;
    // a server that trims names as JavaScript's trim() does would read it as the session.
    const bff = bffFor(idp);
    const victim = new AppBrowser(bff);
    await victim.signIn();
    const attacker = new AppBrowser(bff);
    await attacker.signIn('/auth/login', 'bob');
    const injected = [...attacker.jar].map(([k, v]) => `\u00a0${k}=${v}`).join('; ');
    const cookie = `${injected}; ${victim.cookieHeader()}`;
    const res = await bff.handler(new Request(`${APP}/auth/session`, { headers: { ...SAME_ORIGIN, cookie } }));
    expect(await body(res!)).toMatchObject({ user: { principal: 'alice' } });
    expect(await bff.getSession(new Request(`${APP}/`, { headers: { cookie } }))).toMatchObject({ user: { principal: 'alice' } });
  });
});

describe("getSession(req) for the app's own routes", () => {
  it('a change (POST, PUT, DELETE) that a page of another origin sent has no session, though a same-site page sends the Strict cookie', async () => {
    const bff = bffFor(idp);
    const b = new AppBrowser(bff);
    await b.signIn();
    const post = (headers: Record<string, string>, method = 'POST'): Request => new Request(`${APP}/app/transfer`, { method, headers: { cookie: b.cookieHeader(), ...headers }, body: 'to=mallory' });
    // A form on https://blog.example.com posting to https://app.example.com: same-site, the cookie goes along.
    expect(await bff.getSession(post({ 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.2:5998' }))).toBeNull();
    expect(await bff.getSession(post({ 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' }, 'DELETE'))).toBeNull();
    expect(await bff.getSession(post({ origin: 'http://127.0.0.1:6666' }, 'PUT'))).toBeNull(); // a browser without Sec-Fetch-*
    expect(await bff.getSession(post({ origin: 'null' }))).toBeNull();
    // The app's own form, and any GET (a navigation reads nothing another origin can see): the session.
    expect(await bff.getSession(post({ 'sec-fetch-site': 'same-origin', origin: APP }))).toMatchObject({ user: { principal: 'alice' } });
    expect(await bff.getSession(post({}))).toMatchObject({ user: { principal: 'alice' } }); // no browser (a server-side call)
    const get = new Request(`${APP}/app/page`, { headers: { cookie: b.cookieHeader(), 'sec-fetch-site': 'same-site' } });
    expect(await bff.getSession(get)).toMatchObject({ user: { principal: 'alice' } });
  });
});

describe('switchAccount', () => {
  it("a switch with an option the server refuses changes nothing: the session isn't ended nor its refresh token revoked", async () => {
    const b = new AppBrowser(bffFor(idp));
    await b.signIn();
    const revoked = idp.revokedCount();
    const res = await b.call('/auth/switch', { method: 'POST', body: JSON.stringify({ returnTo: 'https://evil.example/' }) });
    expect(res.status).toBe(400);
    expect(await body(res)).toMatchObject({ code: 'invalid_config' });
    expect(idp.revokedCount()).toBe(revoked);
    expect((await b.call('/auth/session')).status).toBe(200);
  });
});

describe('cross-site requests, more variants', () => {
  it.each([
    ['POST', '/auth/logout', { origin: 'null' }],
    ['POST', '/auth/logout', { 'x-csrf': '1, 1' }],
    ['DELETE', '/api/x', { origin: 'null' }],
    ['PUT', '/api/x', {}],
  ] as const)('%s %s with %j: refused', async (method, path, extra) => {
    const b = new AppBrowser(bffFor(idp, { proxy: { '/api': apiUrl } }));
    await b.signIn();
    paths.length = 0;
    const headers = { ...SAME_ORIGIN, ...(method === 'PUT' ? {} : { origin: APP }), ...extra };
    const res = await b.fetch(path, { method, headers, body: method === 'DELETE' ? undefined : '{}' });
    expect(res.status).toBe(403);
    expect(paths).toEqual([]);
    expect((await b.call('/auth/session')).status).toBe(200);
  });
});

describe('secrets in answers and logs (debug on)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('no token, client secret or cookie value in any answer or log line, through failing renewals, proxying and revocation', async () => {
    const logged: unknown[][] = [];
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void logged.push(args));
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
    const bff = bffFor(idp, { debug: true, proxy: { '/api': 'http://127.0.0.1:9/v1' } });
    const b = new AppBrowser(bff);
    // Tokens of 8 s, due after 4: the renew below fails while they are still valid, however loaded the machine.
    await signInDue(idp, b, undefined, 8);
    // Cognito unreachable for every grant and revocation from now on: the same requests, sent to a closed port.
    const real = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      return /\/oauth2\/(token|revoke)$/.test(url) ? real('http://127.0.0.1:9/', init) : real(input, init);
    });
    const session = await bff.getSession(new Request(`${APP}/`, { headers: { cookie: b.cookieHeader() } })); // due: the renew fails, the tokens are still valid
    const secrets = [session!.accessToken, session!.idToken, b.cookieHeader(), ...b.jar.values(), idp.confidentialClients[0]!.clientSecret];
    const answers = [
      await b.call('/auth/session'),
      await b.call('/auth/userinfo'),
      await b.call('/api/things'), // the API is down
      await b.fetch('/callback?state=nope&code=stolen-code'),
      await b.call('/auth/switch', { method: 'POST', body: '{"returnTo":' }),
      await b.call('/auth/logout', { method: 'POST' }), // revocation fails
    ];
    expect(logged.length).toBeGreaterThan(2);
    const text = [...(await Promise.all(answers.map(async (r) => `${r.status} ${[...r.headers].join(' ')} ${await r.text()}`))), ...logged.map((args) => inspect(args, { depth: 20 }))].join('\n');
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
    expect(text).not.toMatch(/Basic [A-Za-z0-9+/=]{20,}|stolen-code|refresh_token=|eyJ[\w-]{20,}\.eyJ/);
  });
});
