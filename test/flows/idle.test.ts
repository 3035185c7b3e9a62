import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthEventMap } from '../../src/index.js';
import { ALICE, DOMAIN } from '../support/cognito.js';
import { createTestApp, type TestApp } from '../support/app.js';

type Ending = AuthEventMap['sessionEnding'];

// The lazy modules, loaded once now: a first dynamic import (transformed on the fly) takes real
// time, during which the fake clock would run on without them.
beforeAll(async () => {
  await import('../../src/features.js');
  await import('../../src/idle.js');
});
beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const seconds = (s: number) => vi.advanceTimersByTimeAsync(s * 1000);
const activity = (type = 'pointerdown') => document.dispatchEvent(new Event(type));

// Requests get a deadline the fake clock never reaches: the tests jump hours while msw answers in real time.
const NO_DEADLINE = { requestTimeout: 86_400_000 };

/** A signed-in app whose sessionEnding events and sign-outs are recorded. */
async function signedIn(extra: Parameters<typeof createTestApp>[0] = {}) {
  const app = await createTestApp({ ...NO_DEADLINE, ...extra });
  const endings: Ending[] = [];
  const signedOut: string[] = [];
  app.auth.on('sessionEnding', (e) => endings.push(e));
  app.auth.on('signedOut', (e) => signedOut.push(e.reason));
  await app.auth.init();
  await app.signInAs(ALICE);
  await seconds(0);
  return { app, endings, signedOut };
}

const logouts = (app: TestApp) => app.navigations.filter((u) => u.startsWith(`${DOMAIN}/logout`));

describe('idle sign-out and sessionEnding', { timeout: 30_000 }, () => {
  it('nothing runs without idleTimeout and without a sessionEnding listener', async () => {
    const listen = vi.spyOn(document, 'addEventListener');
    const app = await createTestApp(NO_DEADLINE);
    await app.auth.init();
    await app.signInAs(ALICE);
    await seconds(0);
    expect(listen.mock.calls.map(([type]) => type)).not.toContain('pointerdown');
    expect(vi.getTimerCount()).toBe(1); // the renew timer only
    await seconds(3 * 3600);
    expect(app.auth.getState().status).toBe('authenticated');
  });

  it('counts down the last minute, activity calls it off, then idleTimeout without activity signs out', async () => {
    const { app, endings, signedOut } = await signedIn({ idleTimeout: 120 });
    await seconds(59);
    expect(endings).toEqual([]);
    await seconds(2);
    expect(endings.at(-1)).toMatchObject({ reason: 'idle' });
    expect(endings.at(-1)?.secondsLeft).toBeGreaterThanOrEqual(58);
    expect(endings.at(-1)?.secondsLeft).toBeLessThanOrEqual(60);

    activity('keydown');
    expect(endings.at(-1)).toEqual({ secondsLeft: null, reason: 'idle' });
    const count = endings.length;
    await seconds(59);
    expect(endings).toHaveLength(count); // the idle end moved: no countdown yet
    expect(app.auth.getState().status).toBe('authenticated');

    await seconds(58);
    expect(endings.at(-1)?.secondsLeft).toBeLessThanOrEqual(5);
    await seconds(5);
    expect(signedOut).toEqual(['idle']);
    expect(app.auth.getState()).toMatchObject({ status: 'unauthenticated', user: null });
    expect(app.cognito.pool.counts.revoke).toBe(1);
    const logout = new URL(logouts(app).at(-1) as string);
    expect(Object.fromEntries(logout.searchParams)).toEqual({ client_id: 'test-client-id', logout_uri: 'https://app.example.com/' });
    const after = endings.length;
    await seconds(600);
    expect(endings).toHaveLength(after);
    expect(signedOut).toEqual(['idle']);
  });

  it('activity at most once a second is written, and every kind counts', async () => {
    const { app, signedOut } = await signedIn({ idleTimeout: 30 });
    for (const type of ['pointerdown', 'pointermove', 'keydown', 'wheel', 'visibilitychange']) {
      await seconds(25);
      activity(type);
    }
    expect(signedOut).toEqual([]);
    expect(app.auth.getState().status).toBe('authenticated');
    await seconds(31);
    expect(signedOut).toEqual(['idle']);
  });

  it('coming back after the limit (a laptop that slept) is not activity: signed out', async () => {
    const { signedOut } = await signedIn({ idleTimeout: 120 });
    vi.setSystemTime(Date.now() + 3_600_000); // no timer ran meanwhile
    activity('visibilitychange');
    await seconds(0);
    expect(signedOut).toEqual(['idle']);
  });

  it('a session restored after the user walked away ends at once; a new sign-in starts afresh', async () => {
    const { app } = await signedIn({ idleTimeout: 120, storage: 'local' });
    app.auth.destroy(); // the tab closes
    vi.setSystemTime(Date.now() + 600_000);
    const reopened = app.another();
    const signedOut: string[] = [];
    reopened.on('signedOut', (e) => signedOut.push(e.reason));
    expect((await reopened.init()).status).toBe('authenticated');
    await seconds(1);
    expect(signedOut).toEqual(['idle']);

    // Signing in again (a new auth_time) is not judged by the old session's activity.
    window.happyDOM?.setURL('https://app.example.com/');
    await reopened.signIn();
    window.happyDOM?.setURL(app.cognito.authorize(app.navigations.at(-1) as string, ALICE));
    await reopened.handleCallback();
    await seconds(60);
    expect(reopened.getState().status).toBe('authenticated');
    expect(signedOut).toEqual(['idle']);
  });

  it('sessionEnding counts down to sessionExpiry for a listener, without idleTimeout', async () => {
    const { app, endings, signedOut } = await signedIn({ sessionExpiry: 600 });
    await seconds(530);
    expect(endings).toEqual([]);
    await seconds(20);
    expect(endings.at(-1)).toMatchObject({ reason: 'session_expired' });
    activity(); // no effect on the session's age
    await seconds(60);
    expect(signedOut).toEqual(['session_expired']);
    expect(endings.every((e) => e.secondsLeft !== null)).toBe(true);
    expect(app.navigations.filter((u) => u.includes('/logout'))).toEqual([]);
  });

  it('destroy() stops it', async () => {
    const remove = vi.spyOn(document, 'removeEventListener');
    const { app, signedOut } = await signedIn({ idleTimeout: 60 });
    app.auth.destroy();
    await seconds(0);
    expect(remove.mock.calls.map(([type]) => type)).toContain('pointerdown');
    await seconds(600);
    expect(signedOut).toEqual([]);
  });

  it('takes idleTimeout in seconds and refuses anything else', async () => {
    expect((await createTestApp({ idleTimeout: 900 })).auth.getState().status).toBe('loading');
    for (const idleTimeout of [-1, '60', Number.NaN]) {
      await expect(createTestApp({ idleTimeout: idleTimeout as number })).rejects.toMatchObject({
        code: 'invalid_config',
        message: expect.stringMatching(/^config\.idleTimeout: a number of seconds/),
      });
    }
  });
});
