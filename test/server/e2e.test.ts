// The backend-for-frontend in real Chromium: the demo's twin (demo/bff-serve.mjs, a Node server
// running cognito-spa-auth/server from dist/) with the BFF client's script-tag build, against the
// local pool. Includes a page on another origin that tries to use the session and fails.
import http from 'node:http';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startBffDemo, type BffDemo, type BffDemoOptions } from '../../demo/bff-serve.mjs';
import { listen } from '../../demo/listen.mjs';
import { launchBrowser, PASSWORD, text, waitForStatus, type E2EBrowser } from '../e2e/browser.js';

let shared: BffDemo;
let own: BffDemo | undefined;
let b: E2EBrowser | undefined;
let evil: http.Server | undefined;

beforeAll(async () => {
  shared = await startBffDemo({ port: 0, issuerPort: 0, domainPort: 0, log: false });
});
afterAll(async () => {
  await shared?.stop();
});
afterEach(async () => {
  try {
    expect(b?.cspViolations() ?? []).toEqual([]);
  } finally {
    await b?.close();
    await own?.stop();
    if (evil) await new Promise((r) => evil?.close(r));
    b = own = evil = undefined;
  }
});

/** A fresh Chromium, on the shared demo or (with options) a demo of its own. */
async function start(options?: BffDemoOptions): Promise<{ demo: BffDemo; b: E2EBrowser }> {
  if (options) own = await startBffDemo({ port: 0, issuerPort: 0, domainPort: 0, log: false, ...options });
  b = await launchBrowser();
  return { demo: own ?? shared, b };
}

/** From the page, through the hosted UI's form, back to the page with the given status. */
async function signIn(d: BffDemo, e: E2EBrowser, username = 'alice', status = 'authenticated'): Promise<void> {
  const { page } = e;
  if (!page.url().startsWith(d.origin)) await page.goto(d.url);
  await waitForStatus(page, 'unauthenticated');
  await Promise.all([page.waitForURL((u) => u.href.startsWith(`${d.idp.domain}/login/`)), page.getByTestId('sign-in').click()]);
  await page.fill('#signInFormUsername', username);
  await page.fill('#signInFormPassword', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.href.startsWith(d.origin)), page.click('button[type=submit]')]);
  await waitForStatus(page, status);
}

describe('backend-for-frontend in Chromium', () => {
  it('signs in on the server: the page shows the user, holds no token, and calls the API through the proxy', async () => {
    const { demo: d, b: e } = await start();
    const { page } = e;
    const fetched: string[] = [];
    page.on('request', (r) => {
      if (!r.isNavigationRequest()) fetched.push(new URL(r.url()).origin);
    });
    await signIn(d, e);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await text(page, 'principal')).toBe('alice');
    expect(await text(page, 'is-admin')).toBe('true');
    expect(await page.locator('[data-event="signedIn"]').count()).toBe(1);

    // No token anywhere a script could read it: the session cookie is HttpOnly, storage is empty.
    const visible = await page.evaluate(() => ({ cookie: document.cookie, session: JSON.stringify(sessionStorage), local: JSON.stringify(localStorage) }));
    expect(visible.cookie).toBe('');
    expect(`${visible.session}${visible.local}`).not.toMatch(/eyJ/);
    const cookies = await e.context.cookies(d.origin);
    expect(cookies.find((c) => c.name === 'cognito-session.0')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    // The API gets the access token from the BFF, never a cookie.
    await page.getByTestId('call-api').click();
    await expect.poll(async () => text(page, 'api-reply')).toContain('"caller": "alice"');
    expect(JSON.parse(await text(page, 'api-reply'))).toMatchObject({ path: '/me', caller: 'alice', groups: ['admins'], cookies: null });
    // The page's own requests (scripts, fetches) went to its origin only: CSP connect-src 'self' holds.
    expect(new Set(fetched)).toEqual(new Set([d.origin]));
  });

  it('a reload restores the session from the server; sign-out ends it there and at Cognito', async () => {
    const { demo: d, b: e } = await start();
    const { page } = e;
    await signIn(d, e);
    const signedIn = await page.locator('[data-event="signedIn"]').count();
    await page.reload();
    await waitForStatus(page, 'authenticated');
    expect(await page.locator('[data-event="signedIn"]').count()).toBe(signedIn); // restored, not a new sign-in (the page keeps its log)
    const revoked = d.idp.revokedCount();
    // The page is at / already: wait for the document Cognito's /logout sends it back to.
    const back = page.waitForResponse((r) => r.url() === `${d.origin}/` && r.request().isNavigationRequest());
    await page.getByTestId('sign-out').click();
    await back;
    await page.waitForLoadState();
    await waitForStatus(page, 'unauthenticated');
    expect(d.idp.revokedCount()).toBe(revoked + 1);
    expect(d.idp.requests.some((r) => r.path === '/logout')).toBe(true);
    // Only the mark that the user signed out here (a browser-session cookie) is left.
    expect((await e.context.cookies(d.origin)).map((c) => c.name)).toEqual(['cognito-signed-out']);
    expect(await page.evaluate(() => (window as unknown as { demoAuth: { getState(): { signedOut?: boolean } } }).demoAuth.getState().signedOut)).toBe(true);
  });

  it("a page on another origin (another port of 127.0.0.1) can't use the session", async () => {
    const { demo: d, b: e } = await start();
    await signIn(d, e);
    const apiBefore = d.requests.filter((r) => r.path.startsWith('/api')).length;
    // The attacker's page: same site (SameSite cookies go along), another origin.
    evil = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><title>elsewhere</title><form method="post"></form>'));
    const evilOrigin = `http://127.0.0.1:${await listen(evil, 0)}`;
    const attacker = await e.context.newPage();
    await attacker.goto(`${evilOrigin}/`);
    const results = await attacker.evaluate(async (bff) => {
      const attempt = async (what: string, go: () => Promise<Response>): Promise<string> => {
        try {
          const res = await go();
          return `${what}: ${res.type} ${res.status} ${res.type === 'opaque' ? '' : await res.text()}`;
        } catch (err) {
          return `${what}: ${(err as Error).name}`;
        }
      };
      return [
        await attempt('read with the CSRF header', () => fetch(`${bff}/auth/session`, { credentials: 'include', headers: { 'X-CSRF': '1' } })),
        await attempt('read without it', () => fetch(`${bff}/auth/session`, { credentials: 'include' })),
        await attempt('blind proxy call', () => fetch(`${bff}/api/me`, { credentials: 'include', mode: 'no-cors' })),
        await attempt('blind sign-out', () => fetch(`${bff}/auth/logout`, { method: 'POST', credentials: 'include', mode: 'no-cors' })),
      ];
    }, d.origin);
    expect(results).toEqual([
      'read with the CSRF header: TypeError', // the preflight gets no CORS approval
      'read without it: TypeError', // answered 403, and unreadable anyway (no CORS)
      'blind proxy call: opaque 0 ',
      'blind sign-out: opaque 0 ',
    ]);
    // A cross-site form post (a top-level navigation) is refused too.
    await attacker.evaluate((bff) => {
      const form = document.forms[0] as HTMLFormElement;
      form.action = `${bff}/auth/logout`;
      form.submit();
    }, d.origin);
    await attacker.waitForURL(`${d.origin}/auth/logout`);
    expect(await attacker.locator('body').innerText()).toContain('cross_site_refused');

    const refused = d.requests.filter((r) => r.path === '/auth/session' || r.path === '/auth/logout' || r.path === '/api/me').slice(-5);
    expect(refused.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'OPTIONS /auth/session 405',
      'GET /auth/session 403',
      'GET /api/me 403',
      'POST /auth/logout 403',
      'POST /auth/logout 403',
    ]);
    expect(d.requests.filter((r) => r.path.startsWith('/api') && r.status === 200).length).toBe(apiBefore); // the API saw nothing
    // The user's own page is still signed in, and its calls work.
    const { page } = e;
    await page.reload();
    await waitForStatus(page, 'authenticated');
    await page.getByTestId('call-api').click();
    await expect.poll(async () => text(page, 'api-reply')).toContain('"caller": "alice"');
  });

  it("a sign-in the server refuses comes back as the page's error", async () => {
    const { demo: d, b: e } = await start({ bff: { principalDomain: 'example.com', enforcePrincipalDomain: true } });
    await signIn(d, e, 'mallory', 'error');
    expect(await e.page.locator('[data-testid="error"] .code').textContent()).toBe('principal_domain_forbidden');
    expect(new URL(e.page.url()).search).toBe(''); // nothing in the address bar
    await e.page.reload();
    await waitForStatus(e.page, 'unauthenticated'); // reported once
  });
});
