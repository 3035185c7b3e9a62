import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../support/setup.js';
import { createTestApp } from '../support/app.js';

describe('signOut', () => {
  it("revokes the refresh token, clears the store and goes to Cognito's /logout", async () => {
    const app = await createTestApp();
    await app.signInAs();
    const events: string[] = [];
    app.auth.on('signedOut', (e) => events.push(e.reason));
    await app.auth.signOut();
    expect(app.cognito.pool.counts.revoke).toBe(1);
    expect([...app.cognito.pool.refresh.values()].every((g) => !g.alive)).toBe(true);
    const url = new URL(app.navigations.at(-1) as string);
    expect(url.origin + url.pathname).toBe('https://test-app.auth.us-east-1.amazoncognito.com/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'test-client-id', logout_uri: 'https://app.example.com/' });
    expect(app.auth.getState()).toMatchObject({ status: 'unauthenticated', user: null });
    expect(events).toEqual(['user']);
    await expect(app.auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    window.happyDOM?.setURL('https://app.example.com/');
    expect((await app.another().init()).status).toBe('unauthenticated');
  });

  it('says the user signed out, across the reload /logout causes, until the next sign-in', async () => {
    const app = await createTestApp();
    await app.signInAs();
    expect(app.auth.getState().signedOut).toBeUndefined();
    await app.auth.signOut();
    expect(app.auth.getState()).toMatchObject({ status: 'unauthenticated', signedOut: true, error: null });
    window.happyDOM?.setURL('https://app.example.com/');
    expect(await app.another().init()).toMatchObject({ status: 'unauthenticated', signedOut: true });
    // Other endings of a session are not the user's sign-out.
    await app.signInAs();
    app.auth.reset();
    expect(app.auth.getState()).toEqual({ status: 'unauthenticated', user: null, error: null });
    expect((await app.another().init()).signedOut).toBeUndefined();
    // A new sign-in, even one not finished, clears it.
    await app.signInAs();
    await app.auth.signOut();
    await app.another().signIn();
    expect((await app.another().init()).signedOut).toBeUndefined();
  });

  it('after sign-out, the old callback URL no longer yields the user', async () => {
    const app = await createTestApp();
    const url = await app.reachCallback();
    await app.auth.handleCallback(url);
    await app.auth.signOut();
    await expect(app.auth.handleCallback(url)).rejects.toMatchObject({ code: 'state_mismatch' });
    expect(app.auth.getUser()).toBeNull();
  });

  it('a failing revocation never blocks sign-out', async () => {
    const app = await createTestApp();
    await app.signInAs();
    server.use(http.post('https://test-app.auth.us-east-1.amazoncognito.com/oauth2/revoke', () => HttpResponse.error()));
    await app.auth.signOut({ returnTo: 'https://app.example.com/bye' });
    expect(new URL(app.navigations.at(-1) as string).searchParams.get('logout_uri')).toBe('https://app.example.com/bye');
    expect(app.auth.getState().status).toBe('unauthenticated');
  });

  it('sends logoutUrl and returnTo as logout_uri exactly as written: Cognito compares them with the allowed sign-out URLs as strings', async () => {
    const app = await createTestApp({ logoutUrl: 'https://app.example.com' });
    await app.signInAs();
    await app.auth.signOut();
    expect(new URL(app.navigations.at(-1) as string).searchParams.get('logout_uri')).toBe('https://app.example.com');
    await app.auth.signOut({ returnTo: ' https://app.example.com?bye=1\n' });
    expect(new URL(app.navigations.at(-1) as string).searchParams.get('logout_uri')).toBe('https://app.example.com?bye=1');
  });

  it('uses the configured logoutUrl, and refuses a non-https returnTo', async () => {
    const app = await createTestApp({ logoutUrl: 'https://app.example.com/signed-out' });
    await app.auth.signOut();
    expect(new URL(app.navigations[0] as string).searchParams.get('logout_uri')).toBe('https://app.example.com/signed-out');
    await expect(app.auth.signOut({ returnTo: 'http://evil.example.com/' })).rejects.toMatchObject({ code: 'invalid_config' });
  });
});
