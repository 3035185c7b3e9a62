// Two tabs of one browser profile sharing the session (`storage: 'local'`), in real Chromium.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { demoPerTest, expiresAt, refreshGrants, signIn, text, tokenRequests, waitForStatus } from './browser.js';

// 24 s access tokens, shorter than twice the SDK's renewLeadTime of 60 s: a token is due at half
// its lifetime, 12 s after it is issued (never sooner: that is what keeps short tokens from a renew storm).
const SHORT_TTL = 24;

const start = demoPerTest({ config: { storage: 'local' } });

describe('two tabs', () => {
  it('renewing at the same time makes one refresh request and both show the same expiry', async () => {
    const { demo, idp, b } = await start({ accessTokenTtl: SHORT_TTL });
    const one = b.page;
    await signIn(one, demo, 'alice');
    const two = await b.context.newPage();
    await two.goto(demo.url);
    await waitForStatus(two, 'authenticated'); // restored from localStorage
    expect(await text(two, 'principal')).toBe('alice');
    const first = await expiresAt(one);
    expect(await expiresAt(two)).toBe(first);
    idp.setTokenLifetime(3600);
    idp.requests.length = 0;
    const grantsOne = refreshGrants(one);
    const grantsTwo = refreshGrants(two);

    // Wait until the token is inside the lead time, then ask both tabs for it at once
    // (not forced: each tab renews because the token is due). Their timers fire about now too.
    const due = ((first ?? 0) - SHORT_TTL / 2) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(due - Date.now(), 0)));
    const get = (p: Page) => p.evaluate(async () => {
      const auth = (window as unknown as { demoAuth: { getAccessToken(): Promise<string> } }).demoAuth;
      return (await auth.getAccessToken()).length > 0;
    });
    expect(await Promise.all([get(one), get(two)])).toEqual([true, true]);

    await expect.poll(() => expiresAt(one), { timeout: 10_000 }).not.toBe(first);
    await expect.poll(() => expiresAt(two), { timeout: 10_000 }).not.toBe(first);
    expect(await expiresAt(two)).toBe(await expiresAt(one));
    await new Promise((r) => setTimeout(r, 1500)); // no late second refresh either
    expect(tokenRequests(demo)).toBe(1);
    expect(grantsOne.length + grantsTwo.length).toBe(1);
    await waitForStatus(one, 'authenticated');
    await waitForStatus(two, 'authenticated');
  });

  it('signing out in one tab signs the other out', async () => {
    const { demo, idp, b } = await start({});
    const one = b.page;
    await signIn(one, demo, 'alice');
    const two = await b.context.newPage();
    await two.goto(demo.url);
    await waitForStatus(two, 'authenticated');

    const back = one.waitForResponse((r) => r.url() === demo.url && r.request().isNavigationRequest());
    await one.getByTestId('sign-out').click();
    await back;
    await waitForStatus(one, 'unauthenticated');
    await waitForStatus(two, 'unauthenticated');
    expect(await two.locator('[data-event="signedOut"]').textContent()).toContain('other_tab');
    expect(await two.getByTestId('principal').isVisible()).toBe(false);
    expect(idp.revokedCount()).toBe(1);
  });
});
