// The README's React app and Vue + vue-router app, as written, built with Vite, in Chromium
// against the local user pool: deep link, sign-in, reload, back and forward, sign-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchBrowser, type E2EBrowser } from './browser.js';
import { appErrors, signOutAndStay, startApps, statusBecomes, walkThrough, type ServedApp } from './readme-apps.js';

let env: Awaited<ReturnType<typeof startApps>>;
let b: E2EBrowser;
beforeAll(async () => {
  [env, b] = await Promise.all([startApps(['react', 'vue']), launchBrowser()]);
});
afterAll(async () => {
  await b?.close();
  await env?.stop();
});

describe('README apps with a framework', () => {
  it('React: RequireAuth signs in from a deep link and lands there; reload, back button; sign-out shows the signed-out state', async () => {
    const app = env.apps.get('react') as ServedApp;
    await b.context.clearCookies();
    const page = await b.context.newPage();
    try {
      await walkThrough(page, env.idp, app, { clickToSignIn: false, signedOut: /You have signed out/ });
      await signOutAndStay(page, env.idp, app, /You have signed out/);
      // Its Sign in button starts a sign-in again.
      await Promise.all([page.waitForURL((u) => u.href.startsWith(`${env.idp.domain}/login/`)), page.getByRole('button', { name: 'Sign in' }).click()]);
      expect(appErrors(b)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Vue + vue-router: the guard signs in from a deep link and lands there (no code in the history); reload, back button, in-app navigation; sign-out', async () => {
    const app = env.apps.get('vue') as ServedApp;
    await b.context.clearCookies();
    const page = await b.context.newPage();
    try {
      await walkThrough(page, env.idp, app, { clickToSignIn: false, signedOut: /You signed out/ });
      expect(await page.textContent('body')).toContain('Reports for alice (admins)');
      // In-app navigation and the back button within the app.
      await page.getByRole('link', { name: 'Home' }).click();
      await page.waitForURL(`${app.origin}/`);
      await page.goBack();
      await page.waitForURL(`${app.origin}/reports?id=7`);
      expect(await page.textContent('body')).toContain('Reports for alice');
      await signOutAndStay(page, env.idp, app, /You signed out/);
      // A protected route after the user's own sign-out does not bounce to the hosted UI.
      await page.getByRole('link', { name: 'Reports' }).click();
      await page.waitForTimeout(300);
      expect(page.url()).toBe(`${app.origin}/`);
      await statusBecomes(page, /You signed out/);
      expect(appErrors(b)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
