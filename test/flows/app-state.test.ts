import { describe, expect, it } from 'vitest';
import { ALICE } from '../support/cognito.js';
import { createTestApp } from '../support/app.js';

describe('app state round trip (signIn({ appState }) → handleCallback() / init())', () => {
  it('hands the app state back after the callback, and never sends it to Cognito', async () => {
    const app = await createTestApp();
    const appState = { cart: [1, 2, 3], note: 'secret-ish "quoted" ünïcode', nested: { ok: true, n: null } };
    await app.reachCallback(ALICE, { returnTo: '/checkout', appState });
    const sent = app.navigations.at(-1) as string;
    expect(sent).not.toContain('cart');
    expect(decodeURIComponent(sent)).not.toContain('secret-ish');
    const result = await app.auth.handleCallback();
    expect(result.returnTo).toBe('/checkout');
    expect(result.appState).toEqual(appState);
  });

  it('init() resolves returnTo and appState directly when it completed a sign-in', async () => {
    const app = await createTestApp();
    await app.reachCallback(ALICE, { returnTo: '/reports?x=1', appState: 'plain string' });
    const state = await app.auth.init();
    expect(state).toMatchObject({ status: 'authenticated', returnTo: '/reports?x=1', appState: 'plain string' });
    expect(state.user?.principal).toBe('alice');
  });

  it('init() without a callback carries neither returnTo nor appState', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    window.happyDOM?.setURL('https://app.example.com/home');
    const state = await app.another().init();
    expect(state.status).toBe('authenticated');
    expect(state.returnTo).toBeUndefined();
    expect(state.appState).toBeUndefined();
  });

  it('a sign-in without appState resolves no appState (falsy values are kept)', async () => {
    const app = await createTestApp();
    await app.reachCallback(ALICE);
    expect((await app.auth.handleCallback()).appState).toBeUndefined();
    const again = await createTestApp();
    await again.reachCallback(ALICE, { appState: 0 });
    expect((await again.auth.handleCallback()).appState).toBe(0);
  });

  it.each([
    ['a function', () => 1],
    ['a BigInt', 10n],
    ['a cycle', (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })()],
    ['too large', 'x'.repeat(9000)],
  ])('refuses %s with invalid_config, before navigating', async (_name, appState) => {
    const app = await createTestApp();
    await expect(app.auth.signIn({ appState })).rejects.toMatchObject({ name: 'AuthError', code: 'invalid_config', message: expect.stringContaining('appState') });
    expect(app.navigations).toEqual([]);
  });
});
