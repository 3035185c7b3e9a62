// Popup sign-in in real Chromium, with its popup blocker on, against the local user pool: the
// popup signs in and closes while the page keeps its state; blocked and closed popups are typed
// errors. The pool sends Cross-Origin-Opener-Policy like Cognito's pages, unless a test turns it off.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { demoPerTest, PASSWORD, text, waitForStatus } from './browser.js';

const start = demoPerTest({}, { ignoreDefaultArgs: ['--disable-popup-blocking'] });

async function fillSignIn(popup: Page, username: string): Promise<void> {
  await popup.fill('#signInFormUsername', username);
  await popup.fill('#signInFormPassword', PASSWORD);
  await popup.click('button[type=submit]');
}

describe('signInWithPopup() in Chromium', () => {
  it('signs in in a popup that closes itself; the page never reloads and exchanges the code itself', async () => {
    const { demo, idp, b } = await start();
    const { page, context } = b;
    await page.goto(demo.url);
    await waitForStatus(page, 'unauthenticated');
    await page.evaluate(() => ((window as unknown as { kept: string }).kept = 'still here'));

    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByTestId('sign-in-popup').click()]);
    await popup.waitForURL((u) => u.href.startsWith(`${idp.domain}/login/`));
    // Cognito's (and this pool's) Cross-Origin-Opener-Policy cut the popup off from the page.
    expect(await popup.evaluate(() => window.opener)).toBeNull();
    expect(await text(page, 'status')).toBe('unauthenticated'); // never loading meanwhile
    await Promise.all([popup.waitForEvent('close'), fillSignIn(popup, 'bob')]);

    await waitForStatus(page, 'authenticated');
    expect(await text(page, 'principal')).toBe('bob');
    expect(await page.evaluate(() => (window as unknown as { kept: string }).kept)).toBe('still here');
    expect(page.url()).toBe(demo.url);
    const tokenPosts = idp.requests.filter((r) => r.path === '/oauth2/token');
    expect(tokenPosts).toHaveLength(1);
    expect(await page.getByTestId('error').isHidden()).toBe(true);
  });

  it('a popup opened without a user gesture is blocked: popup_blocked at once, nothing changes', async () => {
    const { demo, b } = await start();
    const { page, context } = b;
    // From the load event, not from page.evaluate (which Playwright runs as a user gesture).
    await page.addInitScript(() => {
      addEventListener('load', () => {
        const w = window as unknown as { demoAuth: { signInWithPopup(): Promise<unknown> }; outcome?: string };
        w.demoAuth.signInWithPopup().then(() => (w.outcome = 'resolved'), (e: { code: string }) => (w.outcome = e.code));
      });
    });
    let opened = 0;
    context.on('page', () => void opened++);
    await page.goto(demo.url);
    await expect.poll(() => page.evaluate(() => (window as unknown as { outcome?: string }).outcome), { timeout: 5_000 }).toBe('popup_blocked');
    expect(opened).toBe(0);
    await waitForStatus(page, 'unauthenticated');
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.includes('.tx.')))).toEqual([]);
  });

  it('closing the popup on the hosted UI rejects with popup_closed and keeps the page signed out', async () => {
    const { demo, idp, b } = await start({ idpOptions: { crossOriginOpenerPolicy: false } });
    const { page, context } = b;
    await page.goto(demo.url);
    await waitForStatus(page, 'unauthenticated');
    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByTestId('sign-in-popup').click()]);
    await popup.waitForURL((u) => u.href.startsWith(`${idp.domain}/login/`));
    await page.waitForTimeout(1_200); // the page saw it on the hosted UI
    await popup.close();
    await expect.poll(() => text(page, 'error'), { timeout: 10_000 }).toContain('popup_closed');
    expect(await text(page, 'status')).toBe('unauthenticated');
    expect(await page.getByTestId('sign-in-popup').isEnabled()).toBe(true);
  });
});
