// Renewing with the refresh token in real Chromium: by the SDK's timer and by "Renew now".
import { describe, expect, it } from 'vitest';

import { demoPerTest, expiresAt, refreshGrants, signIn, text, tokenRequests, waitForStatus } from './browser.js';

// 24 s access tokens, shorter than twice the SDK's renewLeadTime of 60 s: a token is due at half
// its lifetime, 12 s after it is issued (never sooner: that is what keeps short tokens from a renew storm).
const SHORT_TTL = 24;

const start = demoPerTest();

describe('renew', () => {
  it('renews a short-lived access token by the timer: a new expiry, one refresh request', async () => {
    const { demo, idp, b } = await start({ accessTokenTtl: SHORT_TTL });
    const { page } = b;
    await signIn(page, demo, 'alice');
    const first = await expiresAt(page);
    expect(first).toBeGreaterThan(Date.now() / 1000 + SHORT_TTL - 10);
    idp.setTokenLifetime(3600); // the renewed token is not due again during the test
    idp.requests.length = 0;
    const grants = refreshGrants(page);

    await expect.poll(() => expiresAt(page), { timeout: 25_000, interval: 250 }).not.toBe(first);
    const second = await expiresAt(page);
    expect(second).toBeGreaterThan((first ?? 0) + 3000);
    expect(await text(page, 'expires-in')).toMatch(/^(59m|1h 0m) \d+s$/);
    expect(tokenRequests(demo)).toBe(1);
    expect(grants).toHaveLength(1);
    expect(await page.locator('[data-event="tokensRenewed"]').count()).toBe(1);
    await waitForStatus(page, 'authenticated');
    expect(await text(page, 'principal')).toBe('alice');
    expect(await page.getByTestId('error').isHidden()).toBe(true);
  });

  it('"Renew now" gets new tokens at once with one refresh request', async () => {
    const { demo, idp, b } = await start({});
    const { page } = b;
    await signIn(page, demo, 'bob');
    const first = await expiresAt(page);
    idp.setTokenLifetime(1800); // a different expiry, whatever the second
    idp.requests.length = 0;
    const grants = refreshGrants(page);

    await page.getByTestId('renew').click();
    await expect.poll(() => expiresAt(page), { timeout: 10_000 }).not.toBe(first);
    expect((await expiresAt(page)) ?? 0).toBeLessThan((first ?? 0) - 1000);
    expect(await text(page, 'expires-in')).toMatch(/^(29m \d+s|30m 0s)$/);
    expect(tokenRequests(demo)).toBe(1);
    expect(grants).toHaveLength(1);
    expect(await page.locator('[data-event="tokensRenewed"]').count()).toBe(1);
    expect(await text(page, 'principal')).toBe('bob');
  });
});
