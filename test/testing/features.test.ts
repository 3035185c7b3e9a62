// The test kit's popup sign-in, userInfo and hosted-UI links: recorded, no network, no navigation.
import { describe, expect, it } from 'vitest';
import { createTestAuth } from '../../src/testing/index.js';

describe('createTestAuth: popup, userInfo, links', () => {
  it('signInWithPopup() signs in as the given user at once; fetchUserInfo() answers its claims', async () => {
    const auth = createTestAuth({ status: 'unauthenticated', user: { principal: 'alice' } });
    await expect(auth.fetchUserInfo()).rejects.toMatchObject({ code: 'login_required' });
    const user = await auth.signInWithPopup({ returnTo: '/inbox' });
    expect(user.principal).toBe('alice');
    expect(auth.getState()).toMatchObject({ status: 'authenticated', user: { principal: 'alice' } });
    expect(await auth.fetchUserInfo()).toEqual({ ...user.claims });
    expect(auth.callsTo('signInWithPopup')).toEqual([[{ returnTo: '/inbox' }]]);
  });

  it('signUp(), forgotPassword() are recorded like signIn(); switchAccount() signs out', async () => {
    const auth = createTestAuth({ user: 'alice' });
    await auth.signUp({ returnTo: '/welcome' });
    await auth.forgotPassword();
    await expect(auth.signUp({ returnTo: 'https://evil.example/' })).rejects.toMatchObject({ code: 'invalid_config' });
    expect(auth.getState().status).toBe('authenticated');
    await auth.switchAccount();
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', signedOut: true });
    expect(auth.calls.map((c) => c.method)).toEqual(['signUp', 'forgotPassword', 'signUp', 'switchAccount']);
  });
});
