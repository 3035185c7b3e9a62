/**
 * Storage faults: a full quota, a storage that refuses every access (private mode, disabled
 * storage), records edited by hand or written by an older version. The SDK falls back to memory
 * or reads as signed out, never throws at the app, and says why with console.warn only when
 * `debug: true`, never printing a token.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { AuthError, type CognitoAuthConfig, type StorageLike } from '../../src/index.js';
import { ALICE, AUTHORITY, CLIENT_ID, type UserProfile } from '../support/cognito.js';
import { HOME, SESSION_KEY, keysOf, makeApp, recordingStorage, type App } from './harness.js';

const BOB: UserProfile = { sub: '22222222-aaaa-bbbb-cccc-000000000002', 'cognito:username': 'bob', email: 'bob@example.com' };
const JWT_LIKE = /eyJ[\w-]{4,}\.eyJ[\w-]{4,}/;

let warn: MockInstance<typeof console.warn>;
const spies: Array<{ mockRestore(): void }> = [];
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  spies.push(warn);
});
afterEach(() => {
  for (const s of spies.splice(0)) s.mockRestore();
});

/** Everything console.warn was given, errors and their causes included, as one text. */
function warned(): string {
  const text = (v: unknown, depth = 0): string => {
    if (v instanceof Error) return `${v.name}: ${v.message} ${depth < 3 ? text((v as { cause?: unknown }).cause, depth + 1) : ''}`;
    if (typeof v === 'string') return v;
    try {
      return JSON.stringify(v) ?? String(v);
    } catch {
      return String(v);
    }
  };
  return warn.mock.calls.map((args) => args.map((a) => text(a)).join(' ')).join('\n');
}

/** The tokens of a stored session (and their segments), none of which may ever be printed. */
function secretsOf(record: string | null | undefined): string[] {
  if (!record) return [];
  const r = JSON.parse(record) as Record<string, unknown>;
  const tokens = [r.idToken, r.accessToken, r.refreshToken].filter((t): t is string => typeof t === 'string' && t.length > 8);
  return [...tokens, ...tokens.flatMap((t) => t.split('.').filter((s) => s.length > 20))];
}

function expectNoSecretsWarned(secrets: string[]) {
  const text = warned();
  expect(text).not.toMatch(JWT_LIKE);
  for (const s of secrets) expect(text).not.toContain(s);
}

/** With debug the SDK says why (matching `about`); without, it says nothing. */
function expectWarned(debug: boolean, about: RegExp) {
  if (debug) {
    expect(warn).toHaveBeenCalled();
    expect(warned()).toMatch(about);
  } else {
    expect(warn).not.toHaveBeenCalled();
  }
}

// happy-dom's Storage binds its methods on first use, so one spy is installed for the whole
// file, before any storage access, and switched on by the tests that need a full quota.
let quotaFull = false;
const originalSetItem = Storage.prototype.setItem;
const quotaSpy = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(function (this: Storage, key: string, value: string) {
  if (quotaFull && key.endsWith('.session')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  originalSetItem.call(this, key, value);
});
afterAll(() => quotaSpy.mockRestore());
afterEach(() => {
  quotaFull = false;
});
/** The browser's storage refuses to write the session record (quota exceeded); the rest still works. */
function quotaFullForSessions() {
  quotaFull = true;
}

/** A StorageLike that throws on every access, its length included. */
function hostileStorage(): StorageLike {
  const no = (): never => {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  };
  return {
    getItem: no,
    setItem: no,
    removeItem: no,
    get length(): number {
      return no();
    },
    key: no,
  };
}

for (const debug of [true, false]) {
  describe(`storage faults, debug: ${debug}`, () => {
    it('quota exceeded on the session write: the sign-in completes in memory and a reload is signed out', async () => {
      const app = await makeApp({ debug });
      quotaFullForSessions();
      const { user } = await app.auth.handleCallback(await app.callbackUrl());
      expect(user.principal).toBe('alice');
      const token = await app.auth.getAccessToken();
      expect(token).toMatch(/\./);
      expect(keysOf(sessionStorage).filter((k) => k.endsWith('.session'))).toEqual([]);
      window.happyDOM?.setURL(HOME);
      expect((await app.another().init()).status).toBe('unauthenticated');
      expectWarned(debug, /storage write failed/);
      expectNoSecretsWarned([token, await app.auth.getIdToken()]);
    });

    it("quota exceeded in localStorage (storage: 'local'): tokens fall back to memory, the sign-in works", async () => {
      const app = await makeApp({ debug, storage: 'local' });
      quotaFullForSessions();
      await app.signInAs();
      expect(app.auth.getState().status).toBe('authenticated');
      expect(keysOf(localStorage).filter((k) => k.endsWith('.session'))).toEqual([]);
      const token = await app.auth.getAccessToken({ forceRefresh: true }); // renewing writes again: still in memory
      expect(app.auth.getState().status).toBe('authenticated');
      expectWarned(debug, /storage write failed/);
      expectNoSecretsWarned([token]);
    });

    it('quota exceeded when another user signs in over a stored session: a reload never shows the previous user', async () => {
      const app = await makeApp({ debug });
      await app.signInAs(ALICE);
      const alice = sessionStorage.getItem(SESSION_KEY);
      quotaFullForSessions();
      const { user } = await app.auth.handleCallback(await app.callbackUrl(app.auth, BOB));
      expect(user.principal).toBe('bob');
      window.happyDOM?.setURL(HOME);
      const reloaded = await app.another().init();
      expect(reloaded.user?.principal).not.toBe('alice');
      expect(reloaded.status).toBe('unauthenticated');
      expectNoSecretsWarned(secretsOf(alice));
    });

    it('a storage that throws on every access (private mode): init() is signed out, a sign-in works in memory, sign-out and reset() never throw', async () => {
      const app = await makeApp({ debug, storage: hostileStorage() });
      expect(await app.auth.init()).toMatchObject({ status: 'unauthenticated', user: null, error: null });
      const { user } = await app.auth.handleCallback(await app.callbackUrl());
      expect(user.principal).toBe('alice');
      const token = await app.auth.getAccessToken();
      expect(token).toMatch(/\./);
      expect((await app.another().init()).status).toBe('unauthenticated');
      await app.auth.signOut();
      expect(app.auth.getState().status).toBe('unauthenticated');
      expect(() => app.auth.reset()).not.toThrow();
      expectWarned(debug, /storage (read|write|remove) failed/);
      expectNoSecretsWarned([token]);
    });

    it('sessionStorage itself unavailable (getting it throws): the client falls back to memory and works', async () => {
      const app = await makeApp({ debug });
      const denied = vi.spyOn(window, 'sessionStorage', 'get').mockImplementation(() => {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      });
      spies.push(denied);
      const client = app.another();
      expect(await client.init()).toMatchObject({ status: 'unauthenticated' });
      const { user } = await client.handleCallback(await app.callbackUrl(client));
      expect(user.principal).toBe('alice');
      const token = await client.getAccessToken();
      expect(token).toMatch(/\./);
      expectWarned(debug, /storage unavailable/);
      expectNoSecretsWarned([token]);
    });
  });
}

// ---- records edited by hand -----------------------------------------------------------------

type Edit = (r: Record<string, unknown>) => unknown;
const set = (field: string, value: unknown): Edit => (r) => ({ ...r, [field]: value });
const drop = (field: string): Edit => (r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== field));
/** A JWT-shaped string with these claims (unsigned: the store never holds such a token). */
const jwtWith = (claims: Record<string, unknown>) =>
  `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

const EDITS: Array<[string, Edit]> = [
  ['v: 0 (an older version)', set('v', 0)],
  ['v: 2 (a newer version)', set('v', 2)],
  ['v as a string', set('v', '1')],
  ['no v', drop('v')],
  ['clientId of another client', set('clientId', 'another-client')],
  ['no clientId', drop('clientId')],
  ['iss of another pool', set('iss', 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other')],
  ['no iss', drop('iss')],
  ['sub of another user', set('sub', BOB.sub)],
  ['sub as a number', set('sub', 42)],
  ['no sub', drop('sub')],
  ['authTime as a string', set('authTime', 'yesterday')],
  ['authTime null', set('authTime', null)],
  ['authTime moved (not the ID token’s auth_time)', (r) => ({ ...r, authTime: (r.authTime as number) + 86_400 })],
  ['no authTime (the ID token has one)', drop('authTime')],
  ['idToken not a JWT', set('idToken', 'garbage')],
  ['idToken as a number', set('idToken', 7)],
  ['no idToken', drop('idToken')],
  ['idToken with a payload that is not JSON', set('idToken', 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln')],
  ['idToken of another user', (r) => ({ ...r, idToken: jwtWith({ iss: AUTHORITY, aud: CLIENT_ID, sub: BOB.sub }) })],
  ['idToken of another client', (r) => ({ ...r, idToken: jwtWith({ iss: AUTHORITY, aud: 'another-client', sub: ALICE.sub }) })],
  ['idToken of another issuer', (r) => ({ ...r, idToken: jwtWith({ iss: 'https://evil.example.com', aud: CLIENT_ID, sub: ALICE.sub }) })],
  ['accessToken not a JWT', set('accessToken', 'garbage')],
  ['accessToken null', set('accessToken', null)],
  ['no accessToken', drop('accessToken')],
  ['refreshToken as a number', set('refreshToken', 12345)],
  ['refreshToken as an object', set('refreshToken', { token: 'x' })],
  ['expiresAt as a string', set('expiresAt', 'soon')],
  ['expiresAt null', set('expiresAt', null)],
  ['no expiresAt', drop('expiresAt')],
  ['updatedAt as a string', set('updatedAt', 'now')],
  ['no updatedAt', drop('updatedAt')],
  ['the whole record null', () => null],
  ['the whole record a string', () => 'a string'],
  ['the whole record a number', () => 1],
  ['the whole record empty', () => ({})],
  ['the whole record an array', (r) => [r]],
];

/** Sign in, edit the stored record, reload. */
async function reloadAfterEdit(edit: (raw: string) => string, config: Partial<CognitoAuthConfig> = {}) {
  const app: App = await makeApp(config);
  await app.signInAs();
  const raw = sessionStorage.getItem(SESSION_KEY) as string;
  sessionStorage.setItem(SESSION_KEY, edit(raw));
  window.happyDOM?.setURL(HOME);
  const client = app.another();
  return { app, client, raw };
}

for (const debug of [true, false]) {
  describe(`a session record edited by hand reads as signed out, debug: ${debug}`, () => {
    it.each(EDITS)('%s', async (_n, edit) => {
      const { client, raw } = await reloadAfterEdit((r) => JSON.stringify(edit(JSON.parse(r) as Record<string, unknown>)), { debug });
      const state = await client.init();
      expect(state).toEqual({ status: 'unauthenticated', user: null, error: null });
      expect(sessionStorage.getItem(SESSION_KEY)).toBeNull(); // discarded, not left to trip the next load
      await expect(client.getAccessToken()).rejects.toBeInstanceOf(AuthError);
      await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
      expectWarned(debug, /discarded an unusable stored session/);
      expectNoSecretsWarned(secretsOf(raw));
    });
  });
}

describe('records edited by hand that are still a session', () => {
  it('no refreshToken: restored, and ends at expiry (no renew possible)', async () => {
    const { client } = await reloadAfterEdit((r) => JSON.stringify(drop('refreshToken')(JSON.parse(r))));
    expect((await client.init()).status).toBe('authenticated');
    await expect(client.getAccessToken({ forceRefresh: true })).rejects.toMatchObject({ code: 'login_required' });
  });
  it('an expiresAt in the past with a refresh token: restored, and renewed on demand', async () => {
    const { client, raw } = await reloadAfterEdit((r) => JSON.stringify(set('expiresAt', 1)(JSON.parse(r))));
    expect((await client.init()).status).toBe('authenticated');
    const token = await client.getAccessToken();
    expect(token).not.toBe(JSON.parse(raw).accessToken);
  });
});

describe('records written by hand in other shapes', () => {
  it.each([
    ['not JSON', '{"v":1,'],
    ['an empty string', ''],
    ['JSON with a __proto__ key', '{"__proto__":{"v":1},"clientId":"test-client-id"}'],
  ])('a session value that is %s reads as signed out and is removed', async (_n, value) => {
    const { client } = await reloadAfterEdit(() => value, { debug: true });
    expect(await client.init()).toEqual({ status: 'unauthenticated', user: null, error: null });
    expect(sessionStorage.getItem(SESSION_KEY)).toBeNull();
    expect(warn).toHaveBeenCalled();
  });

  it('a session stored by an older version under its own key is not read, and reset() removes it', async () => {
    const app = await makeApp({ debug: true });
    const old = `cognito-spa-auth.${CLIENT_ID}.v0.session`;
    sessionStorage.setItem(old, JSON.stringify({ id_token: 'a.b.c', access_token: 'd.e.f', expires_at: 9e9 }));
    expect(await app.auth.init()).toEqual({ status: 'unauthenticated', user: null, error: null });
    expect(sessionStorage.getItem(old)).not.toBeNull();
    app.auth.reset();
    expect(sessionStorage.getItem(old)).toBeNull();
  });

  it('a transaction of an older version is not used: its callback is state_mismatch and no code is exchanged', async () => {
    const app = await makeApp();
    const url = new URL(await app.callbackUrl());
    const state = url.searchParams.get('state') as string;
    const key = `cognito-spa-auth.${CLIENT_ID}.v1.tx.${state}`;
    const tx = sessionStorage.getItem(key) as string;
    sessionStorage.removeItem(key);
    sessionStorage.setItem(`cognito-spa-auth.${CLIENT_ID}.v0.tx.${state}`, tx.replace('"v":1', '"v":0'));
    await expect(app.auth.handleCallback(url.href)).rejects.toMatchObject({ code: 'state_mismatch' });
    expect(app.cognito.pool.counts.token).toBe(0);
  });

  it.each<[string, Edit]>([
    ['not JSON', () => '{'],
    ['without codeVerifier', drop('codeVerifier')],
    ['without nonce', drop('nonce')],
    ['with a state of another sign-in', set('state', 'another-state')],
    ['older than an hour', set('createdAt', Math.floor(Date.now() / 1000) - 3601)],
    ['with createdAt as a string', set('createdAt', 'now')],
    ['v: 0', set('v', 0)],
  ])('a sign-in transaction %s: the callback is state_mismatch and no code is exchanged', async (_n, edit) => {
    const app = await makeApp();
    const url = new URL(await app.callbackUrl());
    const key = `cognito-spa-auth.${CLIENT_ID}.v1.tx.${url.searchParams.get('state') as string}`;
    const tx = JSON.parse(sessionStorage.getItem(key) as string) as Record<string, unknown>;
    const edited = edit(tx);
    sessionStorage.setItem(key, typeof edited === 'string' ? edited : JSON.stringify(edited));
    await expect(app.auth.handleCallback(url.href)).rejects.toMatchObject({ code: 'state_mismatch' });
    expect(app.cognito.pool.counts.token).toBe(0);
    expect(sessionStorage.getItem(key)).toBeNull();
  });
});

describe('debug output', () => {
  it('a session write that fails on a custom storage warns once per fault, naming no token', async () => {
    const rec = recordingStorage();
    const storage: StorageLike = {
      ...rec.storage,
      getItem: rec.storage.getItem,
      removeItem: rec.storage.removeItem,
      setItem: (k, v) => {
        if (k.endsWith('.session')) throw new DOMException(`cannot store ${v.length} characters`, 'QuotaExceededError');
        rec.storage.setItem(k, v);
      },
    };
    const app = await makeApp({ debug: true, storage });
    await app.signInAs();
    const token = await app.auth.getAccessToken();
    expect(warn).toHaveBeenCalledTimes(1);
    expectNoSecretsWarned([token, await app.auth.getIdToken()]);
  });
});
