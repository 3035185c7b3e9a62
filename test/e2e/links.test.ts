// Hosted-UI links, userInfo and app state in real Chromium against the local user pool: sign-up
// through the pool's pages, switch account through /logout, userInfo's booleans, and an app state
// carried through a real redirect.
import { describe, expect, it } from 'vitest';

import { demoPerTest, PASSWORD, signIn, text, waitForStatus } from './browser.js';

const start = demoPerTest();

describe('hosted-UI links, userInfo and app state in Chromium', () => {
  it('sign-up: the pool creates the user, who lands on the app signed in with a verified email', async () => {
    const { demo, idp, b } = await start();
    const { page } = b;
    await page.goto(demo.url);
    await waitForStatus(page, 'unauthenticated');
    await Promise.all([page.waitForURL((u) => u.href.startsWith(`${idp.domain}/login/`)), page.getByTestId('sign-up').click()]);
    await page.fill('#signUpUsername', 'erin');
    await page.fill('#signUpEmail', 'erin@example.com');
    await page.fill('#signUpPassword', 'Erin-Pass1');
    await page.click('button[type=submit]');
    const code = (await page.textContent('#deliveredCode')) ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await page.fill('#confirmCode', code);
    await Promise.all([page.waitForURL((u) => u.href.startsWith(demo.origin)), page.click('button[type=submit]')]);
    await waitForStatus(page, 'authenticated');
    expect(await text(page, 'principal')).toBe('erin');
    const claims = JSON.parse(await text(page, 'claims')) as Record<string, unknown>;
    expect(claims).toMatchObject({ 'cognito:username': 'erin', email: 'erin@example.com', email_verified: true });
    expect(new URL(page.url()).pathname).toBe('/');
    // The whole transaction went to /signup.
    const signup = idp.requests.find((r) => r.path === '/signup');
    const params = new URLSearchParams(signup?.url.split('?')[1]);
    for (const name of ['state', 'nonce', 'code_challenge']) expect(params.get(name)).toBeTruthy();
  });

  it('switch account: signed out here and at the pool, the sign-in page again, the other user signed in', async () => {
    const { demo, idp, b } = await start();
    const { page } = b;
    await signIn(page, demo, 'alice');
    await Promise.all([page.waitForURL((u) => u.href.startsWith(`${idp.domain}/login/`)), page.getByTestId('switch-account').click()]);
    expect(idp.revokedCount()).toBe(1);
    expect(idp.requests.some((r) => r.path === '/logout' && r.url.includes('redirect_uri='))).toBe(true);
    await page.fill('#signInFormUsername', 'bob');
    await page.fill('#signInFormPassword', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.href.startsWith(demo.origin)), page.click('button[type=submit]')]);
    await waitForStatus(page, 'authenticated');
    expect(await text(page, 'principal')).toBe('bob');
  });

  it('userInfo: the attributes of the signed-in user, email_verified a boolean', async () => {
    const { demo, b } = await start();
    const { page } = b;
    await signIn(page, demo, 'alice');
    await page.getByTestId('user-info').click();
    await expect.poll(() => text(page, 'userinfo')).toContain('alice@example.com');
    const info = JSON.parse(await text(page, 'userinfo')) as Record<string, unknown>;
    expect(info).toMatchObject({ email: 'alice@example.com', email_verified: true, username: 'alice', name: 'Alice Admin' });
    expect(await page.getByTestId('error').isHidden()).toBe(true);
  });

  it('app state: through the hosted UI and back, never in a URL', async () => {
    const { demo, idp, b } = await start();
    const { page } = b;
    await page.goto(demo.url);
    await waitForStatus(page, 'unauthenticated');
    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(`${idp.domain}/login/`)),
      page.evaluate(() => {
        const auth = (window as unknown as { demoAuth: { signIn(o: unknown): Promise<void> } }).demoAuth;
        void auth.signIn({ returnTo: '/reports?tab=2', appState: { cart: ['book-42'], step: 3 } });
      }),
    ]);
    await page.fill('#signInFormUsername', 'alice');
    await page.fill('#signInFormPassword', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.href.startsWith(demo.origin)), page.click('button[type=submit]')]);
    await waitForStatus(page, 'authenticated');
    await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe('/reports?tab=2');
    const result = await page.evaluate(() =>
      (window as unknown as { demoAuth: { init(): Promise<{ returnTo?: string; appState?: unknown }> } }).demoAuth.init().then(({ returnTo, appState }) => ({ returnTo, appState })),
    );
    expect(result).toEqual({ returnTo: '/reports?tab=2', appState: { cart: ['book-42'], step: 3 } });
    expect(idp.requests.filter((r) => r.url.includes('book-42'))).toEqual([]);
  });
});
