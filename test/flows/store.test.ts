import { describe, expect, it } from 'vitest';
import { createCognitoAuth, type StorageLike } from '../../src/index.js';
import { baseConfig, createTestApp } from '../support/app.js';

const sessionKey = (s: Storage | StorageLike & { length?: number }) => {
  const keys = 'key' in s && typeof s.key === 'function' ? Array.from({ length: s.length ?? 0 }, (_, i) => s.key?.(i) ?? '') : [];
  return keys.find((k) => k.endsWith('.session')) as string;
};

describe('token store', () => {
  it('init() restores a stored session with no network request', async () => {
    const app = await createTestApp();
    await app.signInAs();
    window.happyDOM?.setURL('https://app.example.com/dashboard');
    const before = { ...app.cognito.pool.counts };
    const reloaded = app.another();
    const state = await reloaded.init();
    expect(state.status).toBe('authenticated');
    expect(state.user?.principal).toBe('alice');
    expect(await reloaded.getAccessToken()).toBe(await app.auth.getAccessToken());
    expect(app.cognito.pool.counts).toEqual(before);
  });

  it('keys are versioned and namespaced by clientId', async () => {
    const app = await createTestApp();
    await app.signInAs();
    expect(sessionKey(sessionStorage)).toBe('cognito-spa-auth.test-client-id.v1.session');
  });

  it.each([
    ['not JSON', () => '{broken'],
    ['another client', (v: string) => v.replaceAll('"clientId":"test-client-id"', '"clientId":"other"')],
    ['an older version', (v: string) => v.replace('"v":1', '"v":0')],
    ['a token that is not a JWT', (v: string) => v.replace(/"idToken":"[^"]+"/, '"idToken":"garbage"')],
    ['a JSON array', () => '[]'],
  ])('a stored entry that is %s is discarded: unauthenticated, never thrown', async (_n, corrupt) => {
    const app = await createTestApp();
    await app.signInAs();
    const key = sessionKey(sessionStorage);
    sessionStorage.setItem(key, corrupt(sessionStorage.getItem(key) as string));
    window.happyDOM?.setURL('https://app.example.com/');
    const state = await app.another().init();
    expect(state).toMatchObject({ status: 'unauthenticated', user: null });
    expect(sessionStorage.getItem(key)).toBeNull();
  });

  it('a session of another user pool (same client id) is discarded', async () => {
    const app = await createTestApp();
    await app.signInAs();
    window.happyDOM?.setURL('https://app.example.com/');
    const other = createCognitoAuth({ ...baseConfig, authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' });
    expect((await other.init()).status).toBe('unauthenticated');
  });

  it("storage: 'local' survives into a new tab; 'memory' does not", async () => {
    const local = await createTestApp({ storage: 'local' });
    await local.signInAs();
    window.happyDOM?.setURL('https://app.example.com/');
    sessionStorage.clear(); // a new tab has its own sessionStorage
    expect((await local.another().init()).status).toBe('authenticated');

    localStorage.clear();
    const memory = await createTestApp({ storage: 'memory' });
    await memory.signInAs();
    window.happyDOM?.setURL('https://app.example.com/');
    expect((await memory.another().init()).status).toBe('unauthenticated');
    expect(await memory.auth.getAccessToken()).toMatch(/\./);
  });

  it('a custom storage object holds the tokens and the transaction', async () => {
    const m = new Map<string, string>();
    const custom: StorageLike = { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
    const app = await createTestApp({ storage: custom });
    await app.signInAs();
    expect([...m.keys()].sort()).toEqual(['cognito-spa-auth.test-client-id.v1.jwks', 'cognito-spa-auth.test-client-id.v1.session']);
    expect(sessionStorage.length).toBe(0);
  });

  it('a storage that throws on write keeps the session in memory instead of failing the sign-in', async () => {
    const failing: StorageLike = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const app = await createTestApp({ storage: failing });
    await app.signInAs();
    expect(app.auth.getState().status).toBe('authenticated');
    expect(await app.auth.getAccessToken()).toMatch(/\./);
  });

  it('reset() clears every key the SDK owns and signs out', async () => {
    const app = await createTestApp();
    await app.signInAs();
    await app.auth.signIn(); // leaves a pending transaction behind
    sessionStorage.setItem('unrelated', 'kept');
    const reasons: string[] = [];
    app.auth.on('signedOut', (e) => reasons.push(e.reason));
    app.auth.reset();
    expect(Object.keys(sessionStorage)).toEqual(['unrelated']);
    expect(app.auth.getState().status).toBe('unauthenticated');
    expect(reasons).toEqual(['reset']);
  });
});
