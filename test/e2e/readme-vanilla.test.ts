// The README's quick start (a Vite app) and script-tag page, as written, in Chromium against the
// local user pool: deep link, sign-in, reload, back and forward, an API call, sign-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchBrowser, type E2EBrowser } from './browser.js';
import { appErrors, signOutAndStay, startApps, walkThrough, type ServedApp } from './readme-apps.js';

let env: Awaited<ReturnType<typeof startApps>>;
let b: E2EBrowser;
beforeAll(async () => {
  [env, b] = await Promise.all([startApps(['quick-start', 'script-tag']), launchBrowser()]);
});
afterAll(async () => {
  await b?.close();
  await env?.stop();
});

describe.each(['quick-start', 'script-tag'] as const)('README %s', (name) => {
  it('signs in from a deep link, survives reload and the back button, and signs out', async () => {
    const app = env.apps.get(name) as ServedApp;
    await b.context.clearCookies();
    const page = await b.context.newPage();
    try {
      await walkThrough(page, env.idp, app, { clickToSignIn: true, signedOut: /You signed out/ });
      if (name === 'quick-start') {
        await page.click('#call-api');
        await expect.poll(() => page.textContent('#api')).toBe('GET /api/things: 200');
        expect(app.apiCalls).toHaveLength(1);
      }
      await signOutAndStay(page, env.idp, app, /You signed out/);
      expect(appErrors(b)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
