// The test kit drives a fake client through every state the real one has, with the same events,
// and no network (msw refuses any request in this project) and no navigation.
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { AuthError, type AuthEventName, type CognitoAuth } from '../../src/index.js';
import { createTestAuth, testUser, type TestAuth } from '../../src/testing/index.js';

function record(auth: CognitoAuth): string[] {
  const seen: string[] = [];
  const names: AuthEventName[] = ['signedIn', 'signedOut', 'tokensRenewed', 'renewFailed', 'sessionExpired'];
  for (const name of names) auth.on(name, (p) => seen.push(`${name}${'reason' in p ? `:${p.reason}` : ''}`));
  auth.subscribe((s) => seen.push(`state:${s.status}`));
  return seen;
}

const payload = (jwt: string): Record<string, unknown> => JSON.parse(atob((jwt.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;

describe('createTestAuth', () => {
  it('is a CognitoAuth with every method implemented', () => {
    expectTypeOf(createTestAuth()).toMatchTypeOf<CognitoAuth>();
    // Every method of the real client's type, optional ones too: a method the type grows and the
    // fake lacks is a compile error here.
    const complete: Required<CognitoAuth> = createTestAuth();
    expect(Object.keys(complete).length).toBeGreaterThan(10);
  });

  it('starts signed in as the given user, with JWT-shaped tokens of its claims', async () => {
    const auth = createTestAuth({ user: { principal: 'alice', groups: ['admins'], isAdmin: true, attributes: { name: 'Alice' } } });
    expect(auth.getState()).toMatchObject({ status: 'authenticated', error: null });
    const user = auth.getUser();
    expect(user).toMatchObject({ principal: 'alice', email: 'alice@example.com', domain: 'example.com', isAdmin: true, groups: ['admins'], attributes: { name: 'Alice' } });
    expect(user?.claims).toMatchObject({ 'cognito:username': 'alice', 'cognito:groups': ['admins'] });
    expect(payload(await auth.getAccessToken())).toMatchObject({ username: 'alice', token_use: 'access', 'cognito:groups': ['admins'] });
    expect(payload(await auth.getIdToken())).toMatchObject({ 'cognito:username': 'alice', token_use: 'id', email: 'alice@example.com' });
    expect(await auth.init()).toMatchObject({ status: 'authenticated' });
    await expect(createTestAuth({ user: 'bob', accessToken: 'opaque' }).getAccessToken()).resolves.toBe('opaque');
    const creds = await auth.getAwsCredentials();
    expect(creds).toMatchObject({ accessKeyId: expect.any(String), expiration: expect.any(Date), identityId: expect.stringMatching(/^us-east-1:/) });
    expect(await auth.getIdentityId()).toBe(creds.identityId);
    await expect(createTestAuth().getAwsCredentials()).rejects.toMatchObject({ code: 'login_required' });
  });

  it('starts signed out, signs in as a user with signedIn, and signs out with signedOut("user")', async () => {
    const auth = createTestAuth();
    const seen = record(auth);
    expect(auth.getState()).toEqual({ status: 'unauthenticated', user: null, error: null });
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
    await auth.signIn({ returnTo: '/reports' });
    expect(auth.callsTo('signIn')).toEqual([[{ returnTo: '/reports' }]]);
    expect(auth.getState().status).toBe('unauthenticated'); // the real page would leave now
    auth.signInAs('carol');
    expect(auth.getUser()?.principal).toBe('carol');
    await auth.signOut();
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', signedOut: true });
    expect(seen).toEqual(['state:authenticated', 'signedIn', 'state:unauthenticated', 'signedOut:user']);
    await expect(auth.signIn({ returnTo: 'https://evil.example/' })).rejects.toMatchObject({ code: 'invalid_config' });
  });

  it('renews, fails a renew (transient), and ends the session on a refused refresh token', async () => {
    const auth = createTestAuth({ user: 'alice' });
    const seen = record(auth);
    const before = auth.getUser()?.expiresAt ?? 0;
    auth.renew(7200);
    expect(auth.getUser()?.expiresAt).toBeGreaterThan(before);
    const offline = new AuthError('network_error', 'offline');
    auth.failRenew(offline);
    await expect(auth.getAccessToken({ forceRefresh: true })).rejects.toBe(offline);
    await expect(auth.getAccessToken()).resolves.toMatch(/\./); // still valid: transient faults keep the session
    expect(auth.getState().status).toBe('authenticated');
    await auth.getAccessToken({ forceRefresh: false });
    auth.renew();
    await expect(auth.getAccessToken({ forceRefresh: true })).resolves.toMatch(/\./);
    auth.failRenew(new AuthError('token_request_failed', 'refused', { oauthError: 'invalid_grant' }));
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated' });
    expect(auth.getState().signedOut).toBeUndefined();
    expect(auth.getState().error?.code).toBe('login_required');
    expect(seen).toEqual(['state:authenticated', 'tokensRenewed', 'renewFailed', 'state:authenticated', 'tokensRenewed', 'state:authenticated', 'tokensRenewed', 'state:unauthenticated', 'signedOut:invalid_grant']);
  });

  it('expires the session like sessionExpiry does', () => {
    const auth = createTestAuth({ user: 'alice' });
    const seen = record(auth);
    auth.expire();
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', user: null });
    expect(auth.getState().error?.code).toBe('session_expired');
    expect(seen).toEqual(['state:unauthenticated', 'sessionExpired', 'signedOut:session_expired']);
  });

  it('holds init() while loading, until the test settles the state', async () => {
    const auth = createTestAuth({ status: 'loading' });
    const done = vi.fn();
    void auth.init().then(done);
    await Promise.resolve();
    expect(done).not.toHaveBeenCalled();
    auth.signInAs('dave');
    await vi.waitFor(() => expect(done).toHaveBeenCalledWith(expect.objectContaining({ status: 'authenticated' })));
    expect(auth.callsTo('init')).toHaveLength(1);
  });

  it('completes a simulated callback in init(), with returnTo and appState', async () => {
    const auth: TestAuth = createTestAuth({ user: 'erin', callback: { returnTo: '/reports?id=7', appState: { tab: 2 } } });
    expect(auth.getState().status).toBe('loading');
    const result = await auth.init();
    expect(result).toMatchObject({ status: 'authenticated', returnTo: '/reports?id=7', appState: { tab: 2 } });
    expect(result.user?.principal).toBe('erin');
    expect(await auth.init()).toBe(result); // once, like the real client
    expect((await auth.handleCallback()).returnTo).toBe('/reports?id=7');
  });

  it('recognises the callback URL like the real client', () => {
    const auth = createTestAuth({ callbackUrl: 'https://app.example.com/auth/callback' });
    expect(auth.isCallback('https://app.example.com/auth/callback?code=c&state=s')).toBe(true);
    expect(auth.isCallback('https://app.example.com/auth/callback?error=access_denied&state=s')).toBe(true);
    expect(auth.isCallback('https://app.example.com/auth/callback')).toBe(false);
    expect(auth.isCallback('https://other.example.com/auth/callback?code=c&state=s')).toBe(false);
    expect(auth.isCallback('not a url')).toBe(false);
  });

  it('starts in error, or fails later, like a failed callback', () => {
    const error = new AuthError('idp_error', 'Cognito answered access_denied', { error: 'access_denied' });
    expect(createTestAuth({ status: 'error', error }).getState()).toMatchObject({ status: 'error', error });
    const auth = createTestAuth({ user: 'alice' });
    auth.fail();
    expect(auth.getState()).toMatchObject({ status: 'error', user: null });
    expect(auth.getState().error?.code).toBe('token_request_failed');
    expect(createTestAuth({ signedOut: true }).getState().signedOut).toBe(true);
  });

  it('keeps methods usable detached (as components pass them around), and stops events on destroy()', async () => {
    const auth = createTestAuth({ user: 'alice' });
    const { getAccessToken, signOut } = auth;
    await expect(getAccessToken()).resolves.toMatch(/\./);
    const listener = vi.fn();
    auth.on('signedOut', listener);
    auth.destroy();
    await signOut();
    expect(listener).not.toHaveBeenCalled();
    expect(auth.calls.map((c) => c.method)).toEqual(['getAccessToken', 'destroy', 'signOut']);
  });
});

describe('testUser', () => {
  it('fills a user the way the SDK maps a Cognito ID token', () => {
    const u = testUser('zoe');
    expect(u).toMatchObject({ principal: 'zoe', email: 'zoe@example.com', domain: 'example.com', emailVerified: true, isAdmin: false, groups: [], attributes: {} });
    expect(testUser({ principal: 'g', provider: 'Google' }).provider).toBe('Google');
    expect(u.claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(u.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(testUser({ principal: 'x', email: undefined })).not.toHaveProperty('email');
    expect(testUser('zoe').claims.sub).toBe(u.claims.sub);
  });
});
