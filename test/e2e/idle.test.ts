// Idle sign-out in real Chromium across two tabs sharing localStorage: activity in one tab keeps
// both signed in; without activity anywhere both end signed out, after a sessionEnding countdown.
import { describe, expect, it } from 'vitest';

import { demoPerTest, signIn, text, waitForStatus } from './browser.js';

const IDLE_S = 6;
const start = demoPerTest({ config: { storage: 'local', idleTimeout: IDLE_S } });

describe('idle sign-out in Chromium', () => {
  it('activity in one tab keeps both tabs signed in; none anywhere signs both out', async () => {
    const { demo, idp, b } = await start();
    const tabA = b.page;
    await signIn(tabA, demo, 'alice');
    const tabB = await b.context.newPage();
    await tabB.goto(demo.url);
    await waitForStatus(tabB, 'authenticated');

    // Activity in tab A only, for twice the idle timeout: tab B stays signed in too.
    for (let i = 0; i < 8; i++) {
      await tabA.mouse.move(100 + 10 * i, 200);
      await tabA.waitForTimeout(1_500);
    }
    expect(await text(tabA, 'status')).toBe('authenticated');
    expect(await text(tabB, 'status')).toBe('authenticated');

    // Then nothing: the countdown shows, and both tabs end signed out.
    await expect.poll(() => text(tabB, 'session-ending'), { timeout: 10_000 }).toMatch(/inactivity in \d+ s/);
    await waitForStatus(tabA, 'unauthenticated', 20_000);
    await waitForStatus(tabB, 'unauthenticated', 20_000);
    expect(idp.revokedCount()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => idp.requests.some((r) => r.path === '/logout' && r.url.includes('logout_uri='))).toBe(true);
    // A tab may still be on its way back from Cognito's /logout: read its storage once a page is there.
    const stored = () => tabA.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith('.session'))).catch(() => ['(navigating)']);
    await expect.poll(stored).toEqual([]);
  });
});
