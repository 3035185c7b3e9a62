import { describe, expect, it } from 'vitest';
import { ALICE, AUTHORITY, CALLBACK, CLIENT_ID, DOMAIN, type UserProfile } from '../support/cognito.js';
import { createTestApp } from '../support/app.js';

const BOB: UserProfile = { sub: '22222222-aaaa-bbbb-cccc-000000000002', 'cognito:username': 'bob', email: 'bob@example.com', email_verified: true };

/** The parameters of a sign-in transaction, as Cognito's pages take them. */
function expectSignInParams(url: URL): void {
  const p = url.searchParams;
  expect(p.get('response_type')).toBe('code');
  expect(p.get('client_id')).toBe(CLIENT_ID);
  expect(p.get('redirect_uri')).toBe(CALLBACK);
  expect(p.get('scope')).toBe('openid email profile');
  expect(p.get('code_challenge_method')).toBe('S256');
  for (const name of ['state', 'nonce', 'code_challenge']) expect(p.get(name)).toMatch(/^[A-Za-z0-9_-]{40,}$/);
}

describe('hosted-UI links: signUp, forgotPassword, switchAccount', { timeout: 20_000 }, () => {
  it.each([
    ['signUp', '/signup'],
    ['forgotPassword', '/forgotPassword'],
  ] as const)('%s() goes to Cognito %s with a whole transaction, and finishes through the callback', async (method, path) => {
    const app = await createTestApp();
    await app.auth[method]({ returnTo: '/welcome', appState: { plan: 'pro' } });
    const url = new URL(app.navigations.at(-1) as string);
    expect(url.origin + url.pathname).toBe(DOMAIN + path);
    expectSignInParams(url);
    expect(url.searchParams.has('appState')).toBe(false);
    // Cognito's page ends at the callback like a sign-in (the stand-in reads the same parameters).
    window.happyDOM?.setURL(app.cognito.authorize(url.href, ALICE));
    const state = await app.auth.init();
    expect(state).toMatchObject({ status: 'authenticated', returnTo: '/welcome', appState: { plan: 'pro' } });
    expect(state.user?.principal).toBe('alice');
  });

  it('derives the pages from the discovered authorize endpoint when no domain is configured', async () => {
    const app = await createTestApp({ domain: undefined });
    await app.auth.signUp();
    expect(app.navigations.at(-1)).toMatch(new RegExp(`^${DOMAIN}/signup\\?`));
    expect(app.cognito.pool.counts.discovery).toBe(1);
    expect(AUTHORITY).toContain('cognito-idp');
  });

  it('refuses bad options before going anywhere', async () => {
    const app = await createTestApp();
    await expect(app.auth.signUp({ returnTo: 'https://evil.example/' })).rejects.toMatchObject({ code: 'invalid_config' });
    await expect(app.auth.forgotPassword({ nope: 1 } as never)).rejects.toMatchObject({ code: 'invalid_config' });
    expect(app.navigations).toEqual([]);
  });

  it('switchAccount() revokes and forgets the session, then /logout with a sign-in transaction; the next user finishes at the callback', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    const reasons: string[] = [];
    app.auth.on('signedOut', (e) => reasons.push(e.reason));
    await app.auth.switchAccount({ returnTo: '/inbox' });
    expect(app.cognito.pool.counts.revoke).toBe(1);
    expect(reasons).toEqual(['user']);
    expect(app.auth.getState()).toMatchObject({ status: 'unauthenticated', user: null });
    const url = new URL(app.navigations.at(-1) as string);
    expect(url.origin + url.pathname).toBe(`${DOMAIN}/logout`);
    expectSignInParams(url);
    expect(url.searchParams.has('logout_uri')).toBe(false);
    // Cognito ends its session and shows the sign-in page with these parameters; bob signs in.
    window.happyDOM?.setURL(app.cognito.authorize(url.href, BOB));
    const state = await app.another().init();
    expect(state).toMatchObject({ status: 'authenticated', returnTo: '/inbox' });
    expect(state.user?.principal).toBe('bob');
  });

  it('switchAccount() with bad options keeps the session', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    await expect(app.auth.switchAccount({ returnTo: '//evil.example' })).rejects.toMatchObject({ code: 'invalid_config' });
    expect(app.auth.getUser()?.principal).toBe('alice');
    expect(app.cognito.pool.counts.revoke).toBe(0);
    expect(app.navigations.filter((u) => u.includes('/logout'))).toEqual([]);
  });

  it('switchAccount() when nobody is signed in still goes through /logout to the sign-in page', async () => {
    const app = await createTestApp();
    await app.auth.init();
    await app.auth.switchAccount();
    expect(new URL(app.navigations.at(-1) as string).pathname).toBe('/logout');
    expect(app.cognito.pool.counts.revoke).toBe(0);
  });
});
