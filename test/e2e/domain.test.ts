// enforcePrincipalDomain in real Chromium: a user of another email domain is refused.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startDemo, type Demo } from '../../demo/serve.mjs';
import { launchBrowser, signIn, text, waitForStatus, type E2EBrowser } from './browser.js';

let demo: Demo;
let b: E2EBrowser;

beforeAll(async () => {
  demo = await startDemo({
    port: 0,
    issuerPort: 0,
    domainPort: 0,
    log: false,
    config: { enforcePrincipalDomain: true, principalDomain: 'example.com' },
  });
});
afterAll(async () => {
  await demo?.stop();
});
beforeEach(async () => {
  b = await launchBrowser();
});
afterEach(async () => {
  try {
    expect(b.cspViolations()).toEqual([]);
  } finally {
    await b.close();
  }
});

describe('enforcePrincipalDomain', () => {
  it('refuses mallory@other.org with principal_domain_forbidden and stores nothing', async () => {
    const { page } = b;
    expect(demo.config.enforcePrincipalDomain).toBe(true);
    await signIn(page, demo, 'mallory', 'error');

    expect(await text(page, 'status')).not.toBe('authenticated');
    expect(await page.getByTestId('error').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="error"] .code').textContent()).toBe('principal_domain_forbidden');
    expect(await text(page, 'error')).toMatch(/other\.org|example\.com/);
    expect(await page.getByTestId('principal').isVisible()).toBe(false);
    expect(await page.getByTestId('sign-in').isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/');

    // Nothing was kept: a reload is signed out.
    await page.reload();
    await waitForStatus(page, 'unauthenticated');
  });

  it('lets alice@example.com in under the same config, back on the page she started from', async () => {
    const { page } = b;
    await page.goto(new URL('/reports/2024?tab=summary#top', demo.url).href); // any path serves the page
    await signIn(page, demo, 'alice');
    expect(page.url()).toBe(new URL('/reports/2024?tab=summary#top', demo.url).href); // returnTo
    expect(await text(page, 'principal')).toBe('alice');
    expect(await text(page, 'domain')).toBe('example.com');
  });
});
