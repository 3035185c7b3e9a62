// The BFF's browser client (cognito-spa-auth/bff) against the real BFF handler and the local pool:
// the page's fetch() goes to bff.handler with the page's cookie jar, as a browser would send it.
// (Chromium runs the same client end to end in test/server/e2e.test.ts.)
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, effectScope } from 'vue';

import type { LocalIdp } from '../../demo/idp/server.mjs';
import { AuthError } from '../../src/index.js';
import { createCognitoAuth, type CognitoBffClient } from '../../src/bff/index.js';
import { createCognitoAuthPlugin, useAuth } from '../../src/vue/index.js';
import type { CognitoBff, CognitoBffConfig } from '../../src/server/index.js';
import { startStallServer } from '../support/stall-server.js';
import { APP, AppBrowser, bffFor, startPool } from './harness.js';

let idp: LocalIdp;
const navigations: string[] = [];
const clients: CognitoBffClient[] = [];
let page: AppBrowser;

const NodeRequest = globalThis.Request;
const realFetch = globalThis.fetch;

/**
 * The page: its address; relative URLs resolved against it; and a fetch() that sends the page's
 * cookies to the BFF like a browser (same-origin: Sec-Fetch-Site, and Origin on a POST).
 */
function openPage(bff: CognitoBff, path = '/app?tab=1#top'): AppBrowser {
  const b = new AppBrowser(bff);
  const url = new URL(path, APP);
  Object.assign(globalThis, {
    location: { origin: APP, href: url.href, pathname: url.pathname, search: url.search, hash: url.hash, assign: (u: string) => navigations.push(u) },
    Request: class PageRequest extends NodeRequest {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        super(typeof input === 'string' ? new URL(input, url) : input, init);
      }
    },
    fetch: async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const req = new Request(input, init);
      if (!req.url.startsWith(`${APP}/`)) return realFetch(req); // the pool's hosted UI, for the sign-in
      const headers = new Headers(req.headers);
      headers.set('sec-fetch-site', 'same-origin');
      if (req.method !== 'GET') headers.set('origin', APP);
      return b.fetch(req.url, { method: req.method, headers, body: req.method === 'GET' ? undefined : await req.text() });
    },
  });
  return b;
}

function client(): CognitoBffClient {
  const c = createCognitoAuth({ basePath: '/auth' });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  idp = await startPool();
});
afterAll(async () => {
  await idp?.stop();
});
beforeEach(() => {
  navigations.length = 0;
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  Object.assign(globalThis, { fetch: realFetch, Request: NodeRequest });
  delete (globalThis as { location?: unknown }).location;
});

async function signedIn(extra: Partial<CognitoBffConfig> = {}): Promise<{ bff: CognitoBff; auth: CognitoBffClient; events: string[] }> {
  const bff = bffFor(idp, extra);
  page = openPage(bff);
  const res = await page.signIn('/auth/login?returnTo=%2Fapp');
  expect(res.status).toBe(303);
  const auth = client();
  const events: string[] = [];
  for (const e of ['signedIn', 'signedOut', 'tokensRenewed', 'sessionExpired'] as const) auth.on(e, (p) => events.push(`${e}${'reason' in p ? `:${p.reason}` : ''}`));
  return { bff, auth, events };
}

describe('cognito-spa-auth/bff', () => {
  it('signed out: init() is unauthenticated without an error; signIn() navigates to the login route with returnTo and the options', async () => {
    openPage(bffFor(idp));
    const auth = client();
    expect(auth.isCallback()).toBe(false);
    expect(await auth.init()).toEqual({ status: 'unauthenticated', user: null, error: null });
    await auth.signIn({ prompt: 'login', scopes: ['openid', 'email'], lang: 'de' });
    const to = new URL(navigations.at(-1)!, APP);
    expect(to.pathname).toBe('/auth/login');
    expect(JSON.parse(to.searchParams.get('options')!)).toEqual({ returnTo: '/app?tab=1#top', prompt: 'login', scopes: ['openid', 'email'], lang: 'de' });
    // The server takes them: Cognito gets the scope and the prompt.
    const start = await new AppBrowser(bffFor(idp)).fetch(navigations.at(-1)!);
    expect(Object.fromEntries(new URL(start.headers.get('location')!).searchParams)).toMatchObject({ scope: 'openid email', prompt: 'login', lang: 'de' });
  });

  it('after the callback: the user, signedIn once (a reload or another tab restores quietly)', async () => {
    const { auth, events } = await signedIn();
    const state = await auth.init();
    expect(state.status).toBe('authenticated');
    expect(state.user).toMatchObject({ principal: 'alice', isAdmin: true, email: 'alice@example.com' });
    expect(auth.getUser()).toBe(state.user);
    expect(events).toEqual(['signedIn']);
    const again = client();
    const quiet: string[] = [];
    again.on('signedIn', () => quiet.push('signedIn'));
    expect((await again.init()).status).toBe('authenticated');
    expect(quiet).toEqual([]);
  });

  it('appState and returnTo come back from init() after the callback (once)', async () => {
    const bff = bffFor(idp);
    page = openPage(bff, '/reports?id=7');
    await client().signIn({ appState: { draft: [1, 'two'] } });
    const login = navigations.at(-1)!;
    expect(JSON.parse(new URL(login, APP).searchParams.get('options')!)).toEqual({ returnTo: '/reports?id=7', appState: { draft: [1, 'two'] } });
    expect((await page.signIn(login)).headers.get('location')).toBe(`${APP}/reports?id=7`);
    const result = await client().init();
    expect(result).toMatchObject({ status: 'authenticated', returnTo: '/reports?id=7', appState: { draft: [1, 'two'] } });
    const later = await client().init();
    expect(later.status).toBe('authenticated');
    expect(later).not.toHaveProperty('returnTo');
  });

  it("fetchUserInfo(): Cognito's userInfo through the server", async () => {
    const { auth } = await signedIn();
    await auth.init();
    expect(await auth.fetchUserInfo()).toMatchObject({ email: 'alice@example.com', email_verified: true });
  });

  it('no token in the page unless the server exposes it', async () => {
    const { auth } = await signedIn();
    await auth.init();
    for (const call of [() => auth.getAccessToken(), () => auth.getIdToken(), () => auth.handleCallback(), () => auth.getAwsCredentials(), () => auth.getIdentityId()]) {
      await expect(call()).rejects.toMatchObject({ name: 'AuthError', code: 'unsupported' });
    }
    const exposed = await signedIn({ exposeAccessToken: true });
    await exposed.auth.init();
    const token = await exposed.auth.getAccessToken();
    expect(token).toMatch(/^ey/);
    const renewed = await exposed.auth.getAccessToken({ forceRefresh: true });
    expect(renewed).not.toBe(token);
  });

  it('fetch(): the CSRF header for the app server; a 401 of the BFF is login_required and signs out here; other origins refused', async () => {
    const { auth, events } = await signedIn();
    await auth.init();
    expect((await auth.fetch('/auth/session')).status).toBe(200); // would be 403 without X-CSRF
    await expect(auth.fetch('https://elsewhere.example/api')).rejects.toMatchObject({ code: 'unsupported' });
    page.jar.clear(); // the session ended on the server's side (e.g. expired)
    const err = await auth.fetch('/auth/session').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ code: 'login_required', status: 401 });
    expect(auth.getState().status).toBe('unauthenticated');
    expect(events).toEqual(['signedIn', 'signedOut:other_tab']);
  });

  it("signOut(): the server ends the session and answers Cognito's /logout, which the page follows; other tabs hear of it", async () => {
    const { auth, events } = await signedIn();
    await auth.init();
    const tab = client();
    const tabEvents: string[] = [];
    tab.on('signedOut', (p) => tabEvents.push(p.reason));
    await tab.init();
    await auth.signOut();
    expect(navigations.at(-1)).toBe(`${idp.domain}/logout?client_id=local-bff-client&logout_uri=${encodeURIComponent(`${APP}/`)}`);
    expect(auth.getState()).toEqual({ status: 'unauthenticated', user: null, error: null, signedOut: true });
    expect(events).toEqual(['signedIn', 'signedOut:user']);
    await expect.poll(() => tabEvents).toEqual(['other_tab']);
    expect(page.jar.has('cognito-session.0')).toBe(false);
    // Back from Cognito's /logout (a new page): signed out by the user, as AuthState.signedOut says, until the next sign-in.
    expect(await client().init()).toMatchObject({ status: 'unauthenticated', signedOut: true, error: null });
    await page.fetch('/auth/login'); // signIn() navigates there
    expect((await client().init()).signedOut).toBeUndefined();
  });

  it("signUp() and forgotPassword() go to Cognito's pages through the login route; switchAccount() through the server's /switch", async () => {
    const { bff, auth, events } = await signedIn();
    await auth.init();
    await auth.signUp({ returnTo: '/welcome' });
    await auth.forgotPassword();
    const [up, forgot] = navigations.slice(-2).map((u) => JSON.parse(new URL(u, APP).searchParams.get('options')!) as Record<string, unknown>);
    expect(up).toEqual({ returnTo: '/welcome', screen: 'signup' });
    expect(forgot).toEqual({ returnTo: '/app?tab=1#top', screen: 'forgotPassword' });
    expect(new URL((await new AppBrowser(bff).fetch(navigations.at(-2)!)).headers.get('location')!).pathname).toBe('/signup');
    await auth.switchAccount();
    const to = new URL(navigations.at(-1)!);
    expect(to.origin + to.pathname).toBe(`${idp.domain}/logout`);
    expect(to.searchParams.get('response_type')).toBe('code');
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', signedOut: true });
    expect(events).toEqual(['signedIn', 'signedOut:user']);
    await expect(auth.signInWithPopup()).rejects.toMatchObject({ code: 'unsupported' });
    await expect(auth.fetchUserInfo()).rejects.toMatchObject({ code: 'login_required' }); // signed out by the switch
  });

  it("init() shows why the server's callback failed (once), as an AuthError", async () => {
    const b = openPage(bffFor(idp));
    await b.fetch('/callback?error=access_denied&error_description=The+user+said+no');
    const auth = client();
    const state = await auth.init();
    expect(state.status).toBe('error');
    expect(state.error).toBeInstanceOf(AuthError);
    expect(state.error).toMatchObject({ code: 'idp_error', error: 'access_denied', errorDescription: 'The user said no' });
    expect((await client().init()).status).toBe('unauthenticated'); // reported once
  });

  it('a session past sessionExpiry: sessionExpired, then signedOut', async () => {
    const { auth, events } = await signedIn({ sessionExpiry: 1 });
    await auth.init();
    await new Promise((r) => setTimeout(r, 2100));
    await expect(auth.fetch('/auth/session')).rejects.toMatchObject({ code: 'login_required' });
    expect(auth.getState().error).toMatchObject({ code: 'session_expired' });
    expect(events).toEqual(['signedIn', 'sessionExpired', 'signedOut:session_expired']);
  });

  it('the Vue adapter works with it unchanged (the same CognitoAuth type)', async () => {
    const { auth } = await signedIn();
    const returned: string[] = [];
    const app = createApp({ render: () => null });
    app.use(createCognitoAuthPlugin(auth, { onCallback: ({ returnTo }) => returned.push(returnTo) }));
    const scope = effectScope();
    const vue = scope.run(() => app.runWithContext(() => useAuth()))!;
    await expect.poll(() => vue.status.value).toBe('authenticated');
    expect(vue.user.value?.principal).toBe('alice');
    expect(returned).toEqual(['/app']); // init() said where the sign-in started
    scope.stop();
  });

  it("a server that sends its headers and then stalls: each of the client's own requests ends in network_error within requestTimeout, and init() is never left loading", async () => {
    const stall = await startStallServer();
    try {
      // The page's own origin answers with headers and a piece of a body, then nothing.
      Object.assign(globalThis, {
        location: { origin: APP, href: `${APP}/app`, pathname: '/app', search: '', hash: '', assign: (u: string) => navigations.push(u) },
        Request: class PageRequest extends NodeRequest {
          constructor(input: RequestInfo | URL, init?: RequestInit) {
            super(typeof input === 'string' ? new URL(input, APP) : input, init);
          }
        },
        fetch: (req: Request) => realFetch(new URL(new URL(req.url).pathname, stall.origin), { method: req.method, signal: req.signal }),
      });
      const auth = createCognitoAuth({ basePath: '/auth', requestTimeout: 300 });
      clients.push(auth);
      const state = await auth.init();
      expect(state.status).toBe('error');
      expect(state.error).toMatchObject({ code: 'network_error' });
      await expect(auth.fetchUserInfo()).rejects.toMatchObject({ code: 'network_error' });
      await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'network_error' });
      await expect(auth.signOut()).rejects.toMatchObject({ code: 'network_error' });
      expect(navigations).toEqual([]); // no Cognito /logout URL came, so the page stays
      expect(stall.hits).toEqual(['GET /auth/session', 'GET /auth/userinfo', 'GET /auth/token', 'POST /auth/logout']);
    } finally {
      await stall.close();
    }
  });

  it('refuses a bad config', () => {
    expect(() => createCognitoAuth({ basePath: 'auth/' })).toThrow(AuthError);
    expect(() => createCognitoAuth({ clientSecret: 'x' } as never)).toThrow(/config/);
    for (const requestTimeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => createCognitoAuth({ requestTimeout } as never)).toThrow(/config/);
  });
});
