import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/index.js';
import { ALICE } from '../support/cognito.js';
import { createTestApp } from '../support/app.js';

describe('sign-in round trip', () => {
  it('signs a user in: state, code exchange with PKCE, verified tokens, mapped user, clean URL', async () => {
    const app = await createTestApp();
    await app.reachCallback(ALICE, { returnTo: '/reports?id=7#top' });
    const { user, returnTo } = await app.auth.handleCallback();
    expect(returnTo).toBe('/reports?id=7#top');
    expect(user.principal).toBe('alice');
    expect(user.email).toBe('alice@example.com');
    expect(user.groups).toEqual(['admins', 'readers']);
    expect(user.claims.token_use).toBe('id');
    expect(user.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(app.auth.getState()).toMatchObject({ status: 'authenticated', error: null });
    expect(location.search).toBe(''); // code and state are gone from the address bar
    expect(location.pathname).toBe('/callback');
    expect(app.cognito.pool.counts).toMatchObject({ token: 1, jwks: 1, discovery: 0 });
    const token = await app.auth.getAccessToken();
    expect(token.split('.')).toHaveLength(3);
  });

  it('init() on the callback URL completes the sign-in and emits signedIn once', async () => {
    const app = await createTestApp();
    await app.reachCallback();
    const seen: string[] = [];
    app.auth.on('signedIn', ({ user }) => seen.push(user.principal));
    const [a, b] = await Promise.all([app.auth.init(), app.auth.init()]);
    expect(a).toBe(b);
    expect(a.status).toBe('authenticated');
    expect(seen).toEqual(['alice']);
    expect(app.cognito.pool.counts.token).toBe(1);
  });

  it('a state works once: the same callback URL again is state_mismatch', async () => {
    const app = await createTestApp();
    const url = await app.reachCallback();
    await app.auth.handleCallback(url);
    const reload = app.another();
    const err = await reload.handleCallback(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).code).toBe('state_mismatch');
    expect(app.cognito.pool.counts.token).toBe(1);
  });

  it('init() on a replayed callback URL keeps the stored session and sends no second exchange', async () => {
    const app = await createTestApp();
    const url = await app.reachCallback();
    await app.auth.init();
    window.happyDOM?.setURL(url); // the back button
    const again = app.another();
    const state = await again.init();
    expect(state).toMatchObject({ status: 'authenticated', error: null });
    expect(state.user?.principal).toBe('alice');
    expect(app.cognito.pool.counts.token).toBe(1);
    await expect(again.handleCallback(url)).rejects.toMatchObject({ code: 'state_mismatch' });
  });

  it.each([
    ['missing', (u: URL) => u.searchParams.delete('state')],
    ['unknown', (u: URL) => u.searchParams.set('state', 'forged-state')],
  ])('a %s state is state_mismatch and no code is exchanged', async (_name, change) => {
    const app = await createTestApp();
    const u = new URL(await app.reachCallback());
    change(u);
    await expect(app.auth.handleCallback(u.href)).rejects.toMatchObject({ code: 'state_mismatch' });
    expect(app.auth.getState().status).toBe('error');
    // Nor any key set: a callback that fails its state check asks Cognito for nothing at all.
    await new Promise((r) => setTimeout(r, 200));
    expect(app.cognito.pool.counts).toMatchObject({ token: 0, jwks: 0 });
  });

  it("surfaces Cognito's error= reply as idp_error, keeping error and description", async () => {
    const app = await createTestApp();
    await app.auth.signIn();
    const state = new URL(app.navigations[0] as string).searchParams.get('state') as string;
    const url = `https://app.example.com/callback?error=access_denied&error_description=User+is+disabled&state=${state}`;
    const err = (await app.auth.handleCallback(url).catch((e: unknown) => e)) as AuthError;
    expect(err.code).toBe('idp_error');
    expect(err.error).toBe('access_denied');
    expect(err.errorDescription).toBe('User is disabled');
    expect(app.auth.getState().error).toBe(err);
  });

  it('a refused code is token_request_failed with the oauthError, and nothing is stored', async () => {
    const app = await createTestApp();
    const url = new URL(await app.reachCallback());
    url.searchParams.set('code', 'not-a-code');
    const err = (await app.auth.handleCallback(url.href).catch((e: unknown) => e)) as AuthError;
    expect(err.code).toBe('token_request_failed');
    expect(err.oauthError).toBe('invalid_grant');
    window.happyDOM?.setURL('https://app.example.com/');
    expect(await app.another().init()).toMatchObject({ status: 'unauthenticated' });
  });

  it('a token endpoint that cannot be reached is network_error', async () => {
    const app = await createTestApp();
    await app.reachCallback();
    app.cognito.pool.nextTokenReply = () => Response.error();
    await expect(app.auth.handleCallback()).rejects.toMatchObject({ code: 'network_error' });
  });

  it('a 200 reply without tokens is token_request_failed', async () => {
    const app = await createTestApp();
    await app.reachCallback();
    app.cognito.pool.nextTokenReply = () => Response.json({ token_type: 'Bearer' });
    await expect(app.auth.handleCallback()).rejects.toMatchObject({ code: 'token_request_failed' });
  });
});
