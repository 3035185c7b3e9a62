// The script-tag demo in real Chromium against the local user pool: sign-in, reload, sign-out,
// a replayed callback, and the strict Content-Security-Policy.
import { existsSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startDemo, type Demo } from '../../demo/serve.mjs';
import type { LocalIdp } from '../../demo/idp/server.mjs';
import { launchBrowser, signIn, text, tokenRequests, waitForStatus, type E2EBrowser } from './browser.js';

const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshot.png', import.meta.url));

let demo: Demo;
let idp: LocalIdp;
let b: E2EBrowser;

beforeAll(async () => {
  demo = await startDemo({ port: 0, issuerPort: 0, domainPort: 0, log: false });
  if (!demo.idp) throw new Error('expected the local pool');
  idp = demo.idp;
});
afterAll(async () => {
  await demo?.stop();
});
beforeEach(async () => {
  b = await launchBrowser({ viewport: { width: 1100, height: 800 } });
});
afterEach(async () => {
  try {
    expect(b.cspViolations()).toEqual([]);
  } finally {
    await b.close();
  }
});

describe('script-tag demo', () => {
  it('signs in with the hosted UI form and shows the mapped user', async () => {
    const { page } = b;
    await page.goto(demo.url);
    await waitForStatus(page, 'unauthenticated');
    await signIn(page, demo, 'alice');

    expect(new URL(page.url()).pathname).toBe('/'); // back on returnTo, the code and state gone
    expect(await text(page, 'principal')).toBe('alice');
    expect(await text(page, 'email')).toBe('alice@example.com');
    expect(await text(page, 'domain')).toBe('example.com');
    expect(await text(page, 'is-admin')).toBe('true');
    expect(await text(page, 'groups')).toBe('admins');
    expect(await page.locator('[data-attribute="username"]').textContent()).toBe('alice');
    expect(await page.locator('[data-attribute="firstName"]').textContent()).toBe('Alice');
    const claims = JSON.parse(await text(page, 'claims')) as Record<string, unknown>;
    expect(claims['cognito:username']).toBe('alice');
    expect(claims.iss).toBe(idp.issuer);
    expect(claims.aud).toBe(idp.clientId);
    expect(await text(page, 'expires-in')).toMatch(/^(59m|1h 0m) \d+s$/);
    expect(await page.getByTestId('error').isHidden()).toBe(true);
    expect(await page.locator('[data-event="signedIn"]').count()).toBe(1);
    // Claims only: no token is ever printed.
    expect(await page.locator('body').innerText()).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);

    if (process.env.UPDATE_SCREENSHOT || !existsSync(SCREENSHOT)) {
      await mkdir(dirname(SCREENSHOT), { recursive: true });
      await page.mouse.move(0, 0);
      await writeFile(SCREENSHOT, await page.screenshot({ type: 'png', animations: 'disabled', caret: 'hide' }));
      expect((await stat(SCREENSHOT)).size).toBeLessThan(150 * 1024);
    }
  });

  it('restores the session on reload without a request to the pool', async () => {
    const { page } = b;
    await signIn(page, demo, 'alice');
    const before = await text(page, 'claims');
    idp.requests.length = 0;

    await page.reload();
    await waitForStatus(page, 'authenticated');
    expect(await text(page, 'principal')).toBe('alice');
    expect(await text(page, 'is-admin')).toBe('true');
    expect(await text(page, 'claims')).toBe(before);
    await page.waitForTimeout(500); // anything the restore would send has been sent by now
    expect(idp.requests).toEqual([]);
  });

  it('signs out: back on the page signed out, the refresh token revoked', async () => {
    const { page } = b;
    await signIn(page, demo, 'bob');
    expect(await text(page, 'is-admin')).toBe('false');
    expect(idp.revokedCount()).toBe(0);
    idp.requests.length = 0;

    // revoke, then Cognito's /logout, which redirects back to the logout URL (a new page load)
    const back = page.waitForResponse((r) => r.url() === demo.url && r.request().isNavigationRequest());
    await Promise.all([page.waitForRequest((r) => r.url().startsWith(`${idp.domain}/logout?`)), page.getByTestId('sign-out').click()]);
    await back;
    expect(page.url()).toBe(demo.url);
    await waitForStatus(page, 'unauthenticated');
    expect(idp.revokedCount()).toBe(1);
    expect(idp.requests.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /oauth2/revoke', 'GET /logout']));
    expect(await page.getByTestId('principal').isVisible()).toBe(false);
    const left = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => sessionStorage.getItem(k)?.includes('eyJ')));
    expect(left).toEqual([]);
    // The page says the user signed out, and its event log came through the /logout reload.
    expect(await page.getByTestId('signed-out-notice').isVisible()).toBe(true);
    expect(await text(page, 'signed-out-notice')).toMatch(/^You signed out/);
    expect(await page.locator('[data-event]').evaluateAll((els) => els.map((e) => e.getAttribute('data-event')))).toEqual(['signedOut', 'signedIn']);
    expect(await page.locator('[data-event="signedOut"]').innerText()).toMatch(/signedOut user/);
    // A reload keeps saying so; a new sign-in ends it.
    await page.reload();
    await waitForStatus(page, 'unauthenticated');
    expect(await page.getByTestId('signed-out-notice').isVisible()).toBe(true);
    await signIn(page, demo, 'bob');
    expect(await page.getByTestId('signed-out-notice').isVisible()).toBe(false);
  });

  it('a replayed callback URL keeps the user signed in without a second exchange; after sign-out it is state_mismatch, and a new sign-in works', async () => {
    const { page } = b;
    const callback = await signIn(page, demo, 'alice');
    expect(new URL(callback).searchParams.get('code')).toBeTruthy();
    const exchanges = tokenRequests(demo);

    // The back button or a reload on the callback URL: the session stays, the code is not sent again.
    await page.goto(callback);
    await waitForStatus(page, 'authenticated');
    expect(await text(page, 'principal')).toBe('alice');
    expect(tokenRequests(demo)).toBe(exchanges);
    expect(new URL(page.url()).pathname).toBe('/'); // the callback URL left the address bar

    // Signed out, the same URL is refused: its state was used.
    const back = page.waitForResponse((r) => r.url() === demo.url && r.request().isNavigationRequest());
    await page.getByTestId('sign-out').click();
    await back;
    await waitForStatus(page, 'unauthenticated');
    await page.goto(callback);
    await waitForStatus(page, 'error');
    expect(await page.getByTestId('error').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="error"] .code').textContent()).toBe('state_mismatch');
    expect(tokenRequests(demo)).toBe(exchanges);

    // Never stuck: a new sign-in works (the hosted UI's session ended at /logout: the form again).
    await signIn(page, demo, 'alice');
    expect(await text(page, 'principal')).toBe('alice');
    expect(await page.getByTestId('error').isHidden()).toBe(true);
  });

  it('runs under the strict Content-Security-Policy', async () => {
    const { page } = b;
    const res = await page.goto(demo.url);
    const csp = res?.headers()['content-security-policy'];
    expect(csp).toBe(demo.csp);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    // The pool's two hosts, and the local AWS service its identity pool's credentials are for.
    expect(csp).toContain(`connect-src 'self' ${new URL(idp.issuer).origin} ${idp.domain} ${idp.awsEndpoint};`);
    expect(csp).toContain("frame-ancestors 'none'");
    for (const path of ['/callback', '/config.js', '/dist/cognito-auth.iife.js', '/nowhere/at/all']) {
      const r = await page.request.get(new URL(path, demo.url).href);
      expect(r.status(), path).toBe(200);
      expect(r.headers()['content-security-policy'], path).toBe(demo.csp);
    }
    await waitForStatus(page, 'unauthenticated');
    expect(await page.evaluate(() => typeof (window as unknown as { CognitoAuth?: { createCognitoAuth?: unknown } }).CognitoAuth?.createCognitoAuth)).toBe('function');

    // The whole flow (JWKS and token requests included) stays within the policy.
    await signIn(page, demo, 'alice');
    await page.getByTestId('renew').click();
    await expect.poll(() => page.locator('[data-event="tokensRenewed"]').count()).toBe(1);
    expect(b.cspViolations()).toEqual([]);

    // And the policy is enforced: an inline script is refused, and reported where the check looks.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = true';
      document.head.append(s);
    });
    await expect.poll(() => b.cspViolations().length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __inline?: boolean }).__inline)).toBeUndefined();
    b.console.length = 0; // the refusal above was the point
  });
});
