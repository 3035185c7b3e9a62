/**
 * Stale and duplicate callbacks (oidc-client-ts's "No matching state found" class): the callback
 * URL handled twice, after a reload, from the back button, in two tabs at once. Exactly one
 * succeeds or all fail with `state_mismatch`; the state is never stuck; reset() clears every key
 * the SDK owns and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { AuthError, type CognitoAuth, type StorageLike } from '../../src/index.js';
import { AUTHORITY, CALLBACK, CLIENT_ID } from '../support/cognito.js';
import { HOME, OWN_PREFIX, SESSION_KEY, keysOf, makeApp, recordingStorage, rejection, type App } from './harness.js';

/** The state is not stuck: signIn() on `client` navigates, and a full new sign-in on it succeeds. */
async function signsInAfterwards(app: App, client: CognitoAuth) {
  const before = app.navigations.length;
  const { user } = await client.handleCallback(await app.callbackUrl(client));
  expect(app.navigations.length).toBe(before + 1);
  expect(user.principal).toBe('alice');
  expect(client.getState().status).toBe('authenticated');
}

function expectStateMismatch(err: unknown) {
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).code).toBe('state_mismatch');
}

/** A reload on an ordinary page restores the stored session (a stale callback did not end it). */
async function stillSignedIn(app: App) {
  window.happyDOM?.setURL(HOME);
  const page = app.another();
  expect((await page.init()).status).toBe('authenticated');
  expect(page.getUser()?.principal).toBe('alice');
}

describe('the same callback URL twice', () => {
  it('twice at once on one page (React StrictMode): one code exchange, one signedIn, the same user', async () => {
    const app = await makeApp();
    const url = await app.callbackUrl();
    const seen: string[] = [];
    app.auth.on('signedIn', ({ user }) => seen.push(user.principal));
    const [a, b] = await Promise.all([app.auth.handleCallback(url), app.auth.handleCallback(url)]);
    expect(a).toBe(b);
    expect(seen).toEqual(['alice']);
    expect(app.cognito.pool.counts.token).toBe(1);
  });

  it('again after a reload (a new client, the same storage): state_mismatch, no second exchange, the session intact', async () => {
    const app = await makeApp();
    const url = await app.callbackUrl();
    await app.auth.handleCallback(url);
    const reloaded = app.another();
    expectStateMismatch(await rejection(reloaded.handleCallback(url)));
    expect(app.cognito.pool.counts.token).toBe(1);
    expect(reloaded.getState()).toMatchObject({ status: 'error', error: { code: 'state_mismatch' } });
    await stillSignedIn(app);
    await signsInAfterwards(app, reloaded);
  });

  it('a reload of the callback page after init() finds a clean address bar and restores the session', async () => {
    const app = await makeApp();
    window.happyDOM?.setURL(await app.callbackUrl());
    expect((await app.auth.init()).status).toBe('authenticated');
    expect(location.href).toBe(CALLBACK); // code and state are gone: a reload cannot replay them
    const reloaded = app.another();
    expect(reloaded.isCallback()).toBe(false);
    expect((await reloaded.init()).status).toBe('authenticated');
    expect(app.cognito.pool.counts.token).toBe(1);
  });

  it('the back button to the callback page lands on the cleaned entry: restored, no exchange', async () => {
    const app = await makeApp();
    window.happyDOM?.setURL(await app.callbackUrl());
    await app.auth.init();
    history.pushState({}, '', '/dashboard');
    history.back();
    await new Promise((r) => setTimeout(r, 20));
    expect(location.href).toBe(CALLBACK);
    const page = app.another();
    expect((await page.init()).status).toBe('authenticated');
    expect(app.cognito.pool.counts.token).toBe(1);
  });

  it('the back button into the hosted UI, which redirects again with the old state and a new code: the callback is state_mismatch, the new code unused', async () => {
    const app = await makeApp();
    await app.auth.signIn();
    const authorize = app.navigations.at(-1) as string;
    await app.auth.handleCallback(app.cognito.authorize(authorize));
    const replay = app.cognito.authorize(authorize); // Cognito's session cookie: straight back, same state
    const page = app.another();
    expectStateMismatch(await rejection(page.handleCallback(replay)));
    expect(app.cognito.pool.counts.token).toBe(1);
    expect(app.cognito.pool.codes.size).toBe(1); // the new code was never sent
    await stillSignedIn(app);
    await signsInAfterwards(app, page);
  });

  it('init() on such a replayed callback keeps the stored session: the same user, no exchange', async () => {
    const app = await makeApp();
    await app.auth.signIn();
    const authorize = app.navigations.at(-1) as string;
    await app.auth.handleCallback(app.cognito.authorize(authorize));
    window.happyDOM?.setURL(app.cognito.authorize(authorize));
    const page = app.another();
    expect(await page.init()).toMatchObject({ status: 'authenticated', user: { principal: 'alice' }, error: null });
    expect(app.cognito.pool.counts.token).toBe(1);
    expect(app.cognito.pool.codes.size).toBe(1);
    await signsInAfterwards(app, page);
  });

  it('init() on a replayed callback with no stored session: state_mismatch in the state, and signIn() works', async () => {
    const app = await makeApp();
    await app.auth.signIn();
    const authorize = app.navigations.at(-1) as string;
    await app.auth.handleCallback(app.cognito.authorize(authorize));
    app.auth.reset(); // signed out since
    window.happyDOM?.setURL(app.cognito.authorize(authorize));
    const page = app.another();
    expect(await page.init()).toMatchObject({ status: 'error', user: null, error: { code: 'state_mismatch' } });
    expect(app.cognito.pool.counts.token).toBe(1);
    await signsInAfterwards(app, page);
  });

  it('a callback that failed (Cognito error) cannot be replayed: state_mismatch, and signIn() works', async () => {
    const app = await makeApp();
    await app.auth.signIn();
    const state = new URL(app.navigations.at(-1) as string).searchParams.get('state') as string;
    const url = `${CALLBACK}?error=access_denied&error_description=denied&state=${state}`;
    await expect(app.auth.handleCallback(url)).rejects.toMatchObject({ code: 'idp_error' });
    const reloaded = app.another();
    expectStateMismatch(await rejection(reloaded.handleCallback(url)));
    await signsInAfterwards(app, reloaded);
  });
});

describe('two tabs handling the same callback URL at once (shared storage)', () => {
  it('handleCallback in both: exactly one succeeds, the other is state_mismatch, one exchange', async () => {
    const shared = recordingStorage();
    const app = await makeApp({ storage: shared.storage });
    const url = await app.callbackUrl();
    const tab2 = app.another();
    const results = await Promise.allSettled([app.auth.handleCallback(url), tab2.handleCallback(url)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expectStateMismatch(failed[0]?.reason);
    expect(app.cognito.pool.counts.token).toBe(1);
    expect(shared.map.has(SESSION_KEY)).toBe(true);
    await signsInAfterwards(app, tab2);
  });

  it('init() in one tab and handleCallback() in the other: exactly one signs in; both can sign in afterwards', async () => {
    // One window stands in for two tabs: tab 1 reads the address bar, tab 2 gets its own copy of the URL.
    const app = await makeApp();
    const url = await app.callbackUrl();
    window.happyDOM?.setURL(url);
    const tab2 = app.another();
    const [s1, s2] = await Promise.allSettled([app.auth.init(), tab2.handleCallback(url)]);
    const tab1Ok = s1.status === 'fulfilled' && s1.value.status === 'authenticated';
    const tab2Ok = s2.status === 'fulfilled';
    expect(Number(tab1Ok) + Number(tab2Ok)).toBe(1);
    const loser = tab1Ok ? tab2 : app.auth;
    expect(loser.getState()).toMatchObject({ status: 'error', error: { code: 'state_mismatch' } });
    expect(app.cognito.pool.counts.token).toBe(1);
    window.happyDOM?.setURL(HOME);
    await signsInAfterwards(app, loser);
  });

  it('two sign-ins started in two tabs both complete, in either order', async () => {
    const app = await makeApp();
    const tab2 = app.another();
    const first = await app.callbackUrl(app.auth);
    const second = await app.callbackUrl(tab2);
    await expect(tab2.handleCallback(second)).resolves.toMatchObject({ user: { principal: 'alice' } });
    await expect(app.auth.handleCallback(first)).resolves.toMatchObject({ user: { principal: 'alice' } });
    expect(app.cognito.pool.counts.token).toBe(2);
  });
});

describe('reset()', () => {
  const OTHERS: Record<string, string> = {
    unrelated: 'kept',
    [`cognito-spa-auth.another-client.v1.session`]: '{"v":1}',
    [`cognito-spa-auth.${CLIENT_ID}2.v1.session`]: '{"v":1}', // a client id that starts with ours
    [`oidc.user:${AUTHORITY}:${CLIENT_ID}`]: '{}', // another library's keys
  };
  const OWN = [`${OWN_PREFIX}v0.session`, `${OWN_PREFIX}v0.tx.old-state`, `${OWN_PREFIX}v2.session`, `${OWN_PREFIX}v1.tx.stray`];
  const seed = (s: Storage | StorageLike) => {
    for (const [k, v] of Object.entries(OTHERS)) s.setItem(k, v);
    for (const k of OWN) s.setItem(k, '{}');
  };

  it("storage 'session': removes sessions and transactions of any version, in both browser storages, and nothing else", async () => {
    const app = await makeApp();
    await app.signInAs();
    await app.auth.signIn(); // a pending transaction
    seed(sessionStorage);
    seed(localStorage); // e.g. left by a former storage: 'local' config: tokens too
    localStorage.setItem(SESSION_KEY, 'a session a former config kept in localStorage');
    const reasons: string[] = [];
    app.auth.on('signedOut', (e) => reasons.push(e.reason));
    app.auth.reset();
    expect(keysOf(sessionStorage).sort()).toEqual(Object.keys(OTHERS).sort());
    expect(keysOf(localStorage).sort()).toEqual(Object.keys(OTHERS).sort());
    expect(app.auth.getState()).toMatchObject({ status: 'unauthenticated', user: null });
    expect(reasons).toEqual(['reset']);
  });

  it("storage 'local': removes the SDK's keys from localStorage and sessionStorage, and nothing else", async () => {
    const app = await makeApp({ storage: 'local' });
    await app.signInAs();
    await app.auth.signIn();
    seed(localStorage);
    seed(sessionStorage);
    expect(keysOf(localStorage)).toContain(SESSION_KEY);
    app.auth.reset();
    expect(keysOf(localStorage).sort()).toEqual(Object.keys(OTHERS).sort());
    expect(keysOf(sessionStorage).sort()).toEqual(Object.keys(OTHERS).sort());
  });

  it('a custom listable storage: removes the SDK’s keys there, and touches no browser storage', async () => {
    const rec = recordingStorage();
    const app = await makeApp({ storage: rec.storage });
    await app.signInAs();
    seed(rec.storage);
    seed(sessionStorage);
    app.auth.reset();
    expect([...rec.map.keys()].sort()).toEqual(Object.keys(OTHERS).sort());
    expect(keysOf(sessionStorage).sort()).toEqual([...Object.keys(OTHERS), ...OWN].sort());
  });

  it("storage 'memory': clears the session in memory and the SDK's keys in the browser storages", async () => {
    const app = await makeApp({ storage: 'memory' });
    await app.signInAs();
    seed(sessionStorage);
    seed(localStorage);
    app.auth.reset();
    await expect(app.auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    expect(keysOf(sessionStorage).sort()).toEqual(Object.keys(OTHERS).sort());
    expect(keysOf(localStorage).sort()).toEqual(Object.keys(OTHERS).sort());
  });

  it('the callback of a sign-in started before reset() is state_mismatch; a new sign-in works', async () => {
    const app = await makeApp();
    const url = await app.callbackUrl();
    app.auth.reset();
    expectStateMismatch(await rejection(app.auth.handleCallback(url)));
    expect(app.cognito.pool.counts.token).toBe(0);
    await signsInAfterwards(app, app.another());
  });

  it('reset() with nothing stored signs nobody out and never throws', async () => {
    const app = await makeApp();
    const reasons: string[] = [];
    app.auth.on('signedOut', (e) => reasons.push(e.reason));
    expect(() => app.auth.reset()).not.toThrow();
    expect(reasons).toEqual([]);
    expect(app.auth.getState().status).toBe('unauthenticated');
  });
});
