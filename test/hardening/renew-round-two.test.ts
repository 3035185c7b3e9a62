/**
 * Hardening of the renew path, round two: a renewed ID token whose user is no longer allowed,
 * renew storms when tokens arrive already looking due, what another tab hands over, and token
 * replies that are not bearer tokens.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { AuthEventMap } from '../../src/index.js';
import { CLIENT_ID, DOMAIN } from '../support/cognito.js';
import { server } from '../support/setup.js';
import { later, realSetTimeout, useFakeClock } from '../support/clock.js';
import { SESSION_KEY, keysOf, makeApp, rejection } from './harness.js';


useFakeClock();

async function signedIn(extra: Parameters<typeof makeApp>[0] = {}, pool: Parameters<typeof makeApp>[1] = {}) {
  const app = await makeApp({ requestTimeout: 60_000, ...extra }, pool);
  await app.signInAs();
  const events: Array<[keyof AuthEventMap, unknown]> = [];
  for (const name of ['signedOut', 'tokensRenewed', 'renewFailed'] as const) app.auth.on(name, (p) => events.push([name, p]));
  return { app, events };
}

describe('a renewed ID token that maps to a user who may no longer sign in here', () => {
  const enforced = { principalDomain: 'example.com', enforcePrincipalDomain: true, silentRenew: false };

  it('ends the session: tokens removed, signedOut (user_refused), then login_required', async () => {
    const { app, events } = await signedIn(enforced);
    app.cognito.pool.tamper = { id: { email: 'alice@elsewhere.example' } }; // the email left the domain
    const err = await rejection(app.auth.getAccessToken({ forceRefresh: true }));
    expect(err).toMatchObject({ code: 'login_required', cause: expect.objectContaining({ code: 'principal_domain_forbidden' }) });
    expect(events).toEqual([['signedOut', { reason: 'user_refused' }]]);
    expect(app.auth.getState()).toMatchObject({ status: 'unauthenticated', user: null, error: { code: 'principal_domain_forbidden' } });
    expect(sessionStorage.getItem(SESSION_KEY)).toBeNull();
    expect(await rejection(app.auth.getAccessToken())).toMatchObject({ code: 'login_required' });
    expect(await rejection(app.auth.getIdToken())).toMatchObject({ code: 'login_required' });
    expect(app.cognito.pool.counts.refresh).toBe(1);
  });

  it('by the timer too, and the refused tokens are never served', async () => {
    const { app, events } = await signedIn({ ...enforced, silentRenew: true }, { lifetime: 600 });
    const old = await app.auth.getAccessToken();
    app.cognito.pool.tamper = { id: { email: 'alice@elsewhere.example' } };
    await later(545);
    expect(events.map(([n, p]) => [n, (p as { reason?: string }).reason])).toEqual([['signedOut', 'user_refused']]);
    expect(await rejection(app.auth.getAccessToken())).toMatchObject({ code: 'login_required' });
    expect(JSON.stringify(app.auth.getState())).not.toContain(old);
  });

  it('a tab sharing the storage does not send the refresh token again', async () => {
    const { app } = await signedIn({ ...enforced, storage: 'local' });
    const tab2 = app.another({ ...enforced, storage: 'local' });
    await tab2.init();
    app.cognito.pool.tamper = { id: { email: 'alice@elsewhere.example' } };
    const [a, b] = await Promise.allSettled([app.auth.getAccessToken({ forceRefresh: true }), tab2.getAccessToken({ forceRefresh: true })]);
    expect([a.status, b.status]).toEqual(['rejected', 'rejected']);
    expect(app.cognito.pool.counts.refresh).toBe(1);
    expect(keysOf(localStorage).filter((k) => k.endsWith('.session'))).toEqual([]);
  });
});

describe('no renew storm, whatever the clock says', () => {
  /** Refresh grants the pool receives during `seconds` of timer time. */
  async function refreshesDuring(app: Awaited<ReturnType<typeof makeApp>>, seconds: number) {
    const before = app.cognito.pool.counts.refresh;
    await later(seconds);
    return app.cognito.pool.counts.refresh - before;
  }

  it('a browser clock 4.5 minutes fast with Cognito’s shortest (5-minute) tokens: no renew in the first minute', async () => {
    const app = await makeApp({ requestTimeout: 60_000 }, { lifetime: 300 });
    app.cognito.pool.browserAhead = 270; // every token arrives with 30 s left by this browser's clock
    await app.signInAs();
    expect(await refreshesDuring(app, 60)).toBe(0);
    // It renews once, a renewLeadTime (60 s) before expiry on Cognito's clock, and again 4 minutes later.
    expect(await refreshesDuring(app, 300)).toBe(1);
    expect(app.auth.getState().status).toBe('authenticated');
  });

  it('tokens shorter than renewLeadTime: renewed at half their lifetime, not once a second', async () => {
    const app = await makeApp({ requestTimeout: 60_000, renewLeadTime: 600 }, { lifetime: 300 });
    await app.signInAs();
    expect(await refreshesDuring(app, 60)).toBe(0);
    expect(await refreshesDuring(app, 240)).toBeLessThanOrEqual(2);
    expect(app.auth.getState().status).toBe('authenticated');
  });

  it('a pool issuing 20-second tokens: automatic renews stay at least 15 s apart', async () => {
    const app = await makeApp({ requestTimeout: 60_000 }, { lifetime: 20 });
    await app.signInAs();
    expect(await refreshesDuring(app, 60)).toBeLessThanOrEqual(4);
  });
});

describe('a session handed over by another tab', () => {
  it('is checked like a stored one: a record that is not one of this client is ignored', async () => {
    const { app } = await signedIn({ storage: 'local', silentRenew: false });
    const stored = JSON.parse(localStorage.getItem(SESSION_KEY) as string) as Record<string, unknown>;
    const user = app.auth.getUser();
    const channel = new BroadcastChannel(`cognito-spa-auth.${CLIENT_ID}`);
    const forged = [
      { ...stored, idToken: 'not-a-jwt', updatedAt: Date.now() + 1000 },
      { ...stored, sub: 'someone-else', updatedAt: Date.now() + 1000 },
      { ...stored, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other', updatedAt: Date.now() + 1000 },
      { ...stored, expiresAt: 'never', updatedAt: Date.now() + 1000 },
    ];
    for (const record of forged) channel.postMessage({ t: 'session', record });
    await new Promise((r) => realSetTimeout(r, 50));
    channel.close();
    expect(app.auth.getState().status).toBe('authenticated');
    expect(app.auth.getUser()).toBe(user);
  });
});

describe('token replies that are not bearer tokens', () => {
  it.each(['DPoP', 'N_A', 'mac'])('token_type %s is refused at the callback and on renew', async (tokenType) => {
    const { app } = await signedIn({ silentRenew: false });
    const fresh = await makeApp();
    const callback = await fresh.callbackUrl();
    server.use(http.post(`${DOMAIN}/oauth2/token`, () => HttpResponse.json({ id_token: 'a.b.c', access_token: 'a.b.c', token_type: tokenType })));
    expect(await rejection(app.auth.getAccessToken({ forceRefresh: true }))).toMatchObject({ code: 'token_request_failed' });
    expect(app.auth.getState().status).toBe('authenticated');
    expect(await rejection(fresh.auth.handleCallback(callback))).toMatchObject({ code: 'token_request_failed', message: expect.stringContaining(tokenType) });
  });
});
