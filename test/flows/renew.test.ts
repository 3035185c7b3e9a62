import { delay, http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthError, AuthEventMap } from '../../src/index.js';
import { ALICE } from '../support/cognito.js';
import { server } from '../support/setup.js';
import { createTestApp } from '../support/app.js';
import { later, useFakeClock } from '../support/clock.js';

const TOKEN_URL = 'https://test-app.auth.us-east-1.amazoncognito.com/oauth2/token';
useFakeClock();
afterEach(() => {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
});

/** A signed-in app whose access tokens live 600 s, renewed 60 s before expiry. */
async function signedIn(extra: Parameters<typeof createTestApp>[0] = {}, pool: Parameters<typeof createTestApp>[1] = {}) {
  const app = await createTestApp({ renewLeadTime: 60, requestTimeout: 60_000, ...extra }, { lifetime: 600, ...pool });
  await app.signInAs();
  const events: Array<[keyof AuthEventMap, unknown]> = [];
  for (const name of ['signedOut', 'tokensRenewed', 'renewFailed', 'sessionExpired'] as const) {
    app.auth.on(name, (p) => events.push([name, p]));
  }
  return { app, events, first: await app.auth.getAccessToken() };
}

describe('silent renew with the refresh token', { timeout: 20_000 }, () => {
  it('renews before the access token expires, by a timer', async () => {
    const { app, events, first } = await signedIn();
    await later(530);
    expect(app.cognito.pool.counts.refresh).toBe(0);
    await later(20);
    expect(app.cognito.pool.counts.refresh).toBe(1);
    const next = await app.auth.getAccessToken();
    expect(next).not.toBe(first);
    expect(events.map(([n, p]) => (n === 'renewFailed' ? String((p as AuthEventMap['renewFailed']).error) : n))).toEqual(['tokensRenewed']);
    expect(app.auth.getUser()?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 500);
    app.auth.destroy();
  });

  it('with silentRenew off, getAccessToken() renews on demand', async () => {
    const { app, first } = await signedIn({ silentRenew: false });
    await later(590);
    expect(app.cognito.pool.counts.refresh).toBe(0);
    expect(await app.auth.getAccessToken()).not.toBe(first);
    expect(app.cognito.pool.counts.refresh).toBe(1);
  });

  it('20 concurrent getAccessToken() calls make one request', async () => {
    const { app } = await signedIn({ silentRenew: false });
    await later(560);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => app.auth.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(app.cognito.pool.counts.refresh).toBe(1);
    const forced = await Promise.all(Array.from({ length: 20 }, () => app.auth.getAccessToken({ forceRefresh: true })));
    expect(new Set(forced).size).toBe(1);
    expect(app.cognito.pool.counts.refresh).toBe(2);
  });

  it('two tabs sharing local storage renew once; the waiting tab uses the other’s tokens', async () => {
    const { app } = await signedIn({ storage: 'local', silentRenew: false });
    window.happyDOM?.setURL('https://app.example.com/');
    const tab2 = app.another({ storage: 'local', silentRenew: false });
    await tab2.init();
    await later(560);
    const [a, b] = await Promise.all([app.auth.getAccessToken(), tab2.getAccessToken()]);
    expect(a).toBe(b);
    expect(app.cognito.pool.counts.refresh).toBe(1);
    tab2.destroy();
  });

  it('with rotation, the newest refresh token is kept and the old one dies', async () => {
    const { app } = await signedIn({ silentRenew: false }, { rotate: true });
    for (let i = 0; i < 3; i++) await app.auth.getAccessToken({ forceRefresh: true });
    expect(app.cognito.pool.counts.refresh).toBe(3);
    expect([...app.cognito.pool.refresh.values()].filter((g) => g.alive)).toHaveLength(1);
    expect(app.auth.getState().status).toBe('authenticated');
  });

  it('without rotation the reply has no refresh token and the old one is kept', async () => {
    const { app } = await signedIn({ silentRenew: false });
    await app.auth.getAccessToken({ forceRefresh: true });
    await app.auth.getAccessToken({ forceRefresh: true });
    expect(app.cognito.pool.counts.refresh).toBe(2);
    expect(app.cognito.pool.refresh.size).toBe(1);
  });

  it('invalid_grant ends the session: store cleared, signedOut, login_required', async () => {
    const { app, events } = await signedIn({ silentRenew: false });
    for (const g of app.cognito.pool.refresh.values()) g.alive = false; // revoked elsewhere
    const err = (await app.auth.getAccessToken({ forceRefresh: true }).catch((e: unknown) => e)) as AuthError;
    expect(err.code).toBe('login_required');
    expect(app.auth.getState()).toMatchObject({ status: 'unauthenticated', user: null });
    expect(events).toEqual([['signedOut', { reason: 'invalid_grant' }]]);
    await expect(app.auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    window.happyDOM?.setURL('https://app.example.com/');
    expect((await app.another().init()).status).toBe('unauthenticated');
  });

  it.each([
    ['a 500', () => server.use(http.post(TOKEN_URL, () => new HttpResponse('down', { status: 500 }), { once: true })), 'token_request_failed'],
    ['a network error', () => server.use(http.post(TOKEN_URL, () => HttpResponse.error(), { once: true })), 'network_error'],
    ['a timeout', () => server.use(http.post(TOKEN_URL, async () => { await delay('infinite'); return HttpResponse.json({}); }, { once: true })), 'network_error'],
    ['an offline browser', () => Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false }), 'network_error'],
  ])('%s keeps the session and its valid token, and reports renewFailed', async (_n, fault, code) => {
    const { app, events, first } = await signedIn({ silentRenew: false, requestTimeout: 2000 });
    fault();
    await later(560); // inside the lead time, still valid
    const got = app.auth.getAccessToken();
    await later(3);
    expect(await got).toBe(first);
    expect(app.auth.getState().status).toBe('authenticated');
    expect(events).toHaveLength(1);
    expect(events[0]?.[0]).toBe('renewFailed');
    expect((events[0]?.[1] as AuthEventMap['renewFailed']).error.code).toBe(code);
    expect((events[0]?.[1] as AuthEventMap['renewFailed']).willRetry).toBe(true);
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
    expect(await app.auth.getAccessToken()).not.toBe(first); // the fault is over: renewed
  });

  it('retries a failed timer renew with back-off, and is never signed out for it', async () => {
    const { app, events } = await signedIn();
    server.use(http.post(TOKEN_URL, () => HttpResponse.error()));
    await later(560);
    await later(120);
    const failures = events.filter(([n]) => n === 'renewFailed').length;
    expect(failures).toBeGreaterThanOrEqual(2);
    expect(failures).toBeLessThanOrEqual(6);
    expect(app.auth.getState().status).toBe('authenticated');
    expect(events.some(([n]) => n === 'signedOut')).toBe(false);
    app.auth.destroy();
  });

  it('past sessionExpiry the session ends with session_expired and renew stops', async () => {
    const { app, events } = await signedIn({ sessionExpiry: 700 });
    await later(701);
    expect(app.auth.getState()).toMatchObject({ status: 'unauthenticated', error: { code: 'session_expired' } });
    expect(events.map(([n]) => n)).toEqual(['tokensRenewed', 'sessionExpired', 'signedOut']);
    const refreshes = app.cognito.pool.counts.refresh;
    await vi.advanceTimersByTimeAsync(2_000_000); // nothing more to do: one jump
    expect(app.cognito.pool.counts.refresh).toBe(refreshes);
    await expect(app.auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
  });

  it('a renewed ID token for another sub is refused and ends the session', async () => {
    const { app, events } = await signedIn({ silentRenew: false });
    app.cognito.pool.tamper = { id: { sub: 'someone-else' } };
    const err = (await app.auth.getAccessToken({ forceRefresh: true }).catch((e: unknown) => e)) as AuthError;
    expect({ code: err.code, reason: err.reason }).toEqual({ code: 'id_token_invalid', reason: 'sub' });
    expect(app.auth.getState().status).toBe('unauthenticated');
    expect(events.at(-1)).toEqual(['signedOut', { reason: 'id_token_invalid' }]);
  });

  it('a forged renewed ID token (another kid) is refused', async () => {
    const { app } = await signedIn({ silentRenew: false });
    const { makeKey } = await import('../support/cognito.js');
    app.cognito.pool.tamper = { idKey: await makeKey('id-key-1') };
    await expect(app.auth.getAccessToken({ forceRefresh: true })).rejects.toMatchObject({ code: 'id_token_invalid', reason: 'signature' });
  });

  it('a laptop waking from sleep (clock jump) renews at once', async () => {
    const { app } = await signedIn();
    vi.setSystemTime(Date.now() + 2 * 3600_000); // the timers did not run while asleep
    document.dispatchEvent(new Event('visibilitychange'));
    await later(1);
    expect(app.cognito.pool.counts.refresh).toBe(1);
    expect(app.auth.getState().status).toBe('authenticated');
    app.auth.destroy();
  });

  it('without a refresh token, expiry ends the session and getAccessToken() says login_required', async () => {
    const app = await createTestApp({}, { lifetime: 600 });
    app.cognito.pool.issueRefresh = false;
    await app.signInAs(ALICE);
    await later(601);
    expect(app.auth.getState().status).toBe('unauthenticated');
    await expect(app.auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    expect(app.cognito.pool.counts.refresh).toBe(0);
  });
});
