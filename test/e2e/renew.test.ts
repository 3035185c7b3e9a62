// Renewing with the refresh token in real Chromium: by the SDK's timer, by "Renew now", and
// from two tabs at once (one refresh request between them).
import type { Page, Request } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';

import { startDemo, type Demo } from '../../demo/serve.mjs';
import type { LocalIdp } from '../../demo/idp/server.mjs';
import { expiresAt, launchBrowser, signIn, text, tokenRequests, waitForStatus, type E2EBrowser } from './browser.js';

// With 70 s access tokens and the SDK's renewLeadTime of 60 s, a token is due 10 s after it is issued.
const SHORT_TTL = 70;

let demo: Demo | undefined;
let b: E2EBrowser | undefined;

afterEach(async () => {
  try {
    expect(b?.cspViolations() ?? []).toEqual([]);
  } finally {
    await b?.close();
    await demo?.stop();
    b = undefined;
    demo = undefined;
  }
});

async function start(options: Parameters<typeof startDemo>[0]): Promise<{ demo: Demo; idp: LocalIdp; b: E2EBrowser }> {
  demo = await startDemo({ port: 0, issuerPort: 0, domainPort: 0, log: false, ...options });
  b = await launchBrowser();
  if (!demo.idp) throw new Error('expected the local pool');
  return { demo, idp: demo.idp, b };
}

/** Refresh-grant POSTs the browser sent to the token endpoint. */
function refreshGrants(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/oauth2/token') && new URLSearchParams(r.postData() ?? '').get('grant_type') === 'refresh_token') seen.push(r);
  });
  return seen;
}

describe('renew', () => {
  it('renews a short-lived access token by the timer: a new expiry, one refresh request', async () => {
    const { demo, idp, b } = await start({ accessTokenTtl: SHORT_TTL });
    const { page } = b;
    await signIn(page, demo, 'alice');
    const first = await expiresAt(page);
    expect(first).toBeGreaterThan(Date.now() / 1000 + SHORT_TTL - 15);
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

  it('two tabs renewing at the same time make one refresh request and show the same expiry', async () => {
    const { demo, idp, b } = await start({ accessTokenTtl: SHORT_TTL, config: { storage: 'local' } });
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
    const due = ((first ?? 0) - 60) * 1000;
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
});
