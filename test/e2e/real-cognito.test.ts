// What real Cognito pools do, in real Chromium against the local IdP's switches: rotation that
// moves auth_time, a short ID token beside a long access token, an error redirect without state,
// and a token reply that stalls after its headers while two tabs renew.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { demoPerTest, expiresAt, refreshGrants, signIn, text, waitForStatus } from './browser.js';

const start = demoPerTest();

/** Evaluate with the page's SDK client (`window.demoAuth`). */
type DemoAuth = {
  getUser(): { claims: Record<string, unknown>; idTokenExpiresAt: number; expiresAt: number } | null;
  getIdToken(): Promise<string>;
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
};
const inPage = <T>(page: Page, fn: (auth: DemoAuth) => T | Promise<T>): Promise<T> =>
  page.evaluate(`(${fn.toString()})(window.demoAuth)`) as Promise<T>;
const claimsOf = (jwt: string): Record<string, number> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, number>;

describe('real Cognito behaviours in Chromium', () => {
  it('rotation that moves auth_time: the renewed session is kept', async () => {
    const { demo, idp, b } = await start({ rotateRefreshTokens: true, idpOptions: { rotationMovesAuthTime: true } });
    await signIn(b.page, demo, 'alice');
    const before = await inPage(b.page, (a) => a.getUser()?.claims.auth_time as number);
    await new Promise((r) => setTimeout(r, 1100));
    const grants = refreshGrants(b.page);
    await b.page.getByTestId('renew').click();
    await expect.poll(() => inPage(b.page, (a) => a.getUser()?.claims.auth_time as number), { timeout: 10_000 }).toBeGreaterThan(before);
    expect(grants).toHaveLength(1);
    await waitForStatus(b.page, 'authenticated');
    expect(await b.page.locator('[data-event="signedOut"]').count()).toBe(0);
    expect(await text(b.page, 'principal')).toBe('alice');
    void idp;
  });

  it('a 24-second ID token beside a 1-hour access token: renewed before the ID token expires, never handed out expired', async () => {
    const { demo, b } = await start({ accessTokenTtl: 3600, idTokenTtl: 24 });
    await signIn(b.page, demo, 'bob');
    const access = await expiresAt(b.page);
    const idExp = await inPage(b.page, (a) => a.getUser()?.idTokenExpiresAt ?? 0);
    expect(idExp).toBeLessThan((access ?? 0) - 3000);
    const grants = refreshGrants(b.page);
    // The timer renews at half the ID token's life (12 s), not an hour later.
    await expect.poll(() => grants.length, { timeout: 20_000, interval: 250 }).toBe(1);
    await expect.poll(() => inPage(b.page, (a) => a.getUser()?.idTokenExpiresAt ?? 0), { timeout: 5_000 }).toBeGreaterThan(idExp);
    const id = await inPage(b.page, (a) => a.getIdToken());
    expect(claimsOf(id).exp).toBeGreaterThan(Date.now() / 1000);
    await waitForStatus(b.page, 'authenticated');
  });

  it('an error redirect without state: the page shows Cognito’s reason, the URL is clean, and sign-in works after', async () => {
    const { demo, idp, b } = await start({});
    const { page } = b;
    await page.goto(demo.url);
    await waitForStatus(page, 'unauthenticated');
    idp.switches.nextAuthorizeError = { error: 'invalid_request', error_description: 'Invalid SAML response received' };
    await Promise.all([page.waitForURL((u) => u.pathname === '/callback'), page.getByTestId('sign-in').click()]);
    await waitForStatus(page, 'error');
    expect(await text(page, 'error')).toContain('idp_error');
    expect(await text(page, 'error')).toContain('Invalid SAML response received');
    expect(new URL(page.url()).search).toBe('');
    await signIn(page, demo, 'alice');
    expect(await text(page, 'principal')).toBe('alice');
  });

  it('a token reply that stalls after its headers: the renew times out, the tab lock is released, the other tab renews', async () => {
    const { demo, idp, b } = await start({ config: { storage: 'local', requestTimeout: 1500 } });
    const one = b.page;
    await signIn(one, demo, 'alice');
    const two = await b.context.newPage();
    await two.goto(demo.url);
    await waitForStatus(two, 'authenticated');
    const first = await expiresAt(two);
    idp.setTokenLifetime(1800); // a different expiry for the renewed tokens
    idp.switches.stallTokenReplies = 1;
    const started = Date.now();
    const stalled = await inPage(one, (a) => a.getAccessToken({ forceRefresh: true }).then(() => 'renewed', (e: { code?: string }) => String(e.code)));
    expect(stalled).toBe('network_error');
    expect(Date.now() - started).toBeLessThan(10_000);
    await waitForStatus(one, 'authenticated'); // a transient fault signs nobody out
    await two.getByTestId('renew').click();
    await expect.poll(() => expiresAt(two), { timeout: 10_000 }).not.toBe(first);
    await expect.poll(() => expiresAt(one), { timeout: 10_000 }).toBe(await expiresAt(two));
  });
});
