import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthError, type CognitoAuthConfig, type StorageLike } from '../../src/index.js';
import { createTestApp } from '../support/app.js';
import { type UserProfile } from '../support/cognito.js';
import { createIdentityPool, IDENTITY_POOL_ID, ROLE_ARN } from '../support/identity.js';
import { server } from '../support/setup.js';

const BOB: UserProfile = { sub: '22222222-aaaa-bbbb-cccc-000000000002', 'cognito:username': 'bob', email: 'bob@example.com', email_verified: true };
/** A tab of its own: a storage that starts as a copy of this tab's sessionStorage (a duplicated tab). */
function copyOfSessionStorage(): StorageLike {
  const m = new Map(Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k) as string]));
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}
const awsKeys = () => Object.keys(localStorage).concat(Object.keys(sessionStorage)).filter((k) => k.endsWith('.aws'));

/** A signed-in app with an identity pool behind msw. */
async function signedIn(extra: Partial<CognitoAuthConfig> = {}, lifetime = 3600) {
  const app = await createTestApp({ identityPoolId: IDENTITY_POOL_ID, silentRenew: false, ...extra }, { lifetime });
  const identity = createIdentityPool(app.cognito);
  server.use(...identity.handlers);
  await app.signInAs();
  return { app, auth: app.auth, pool: identity.pool, error: identity.error };
}

/**
 * Web Locks, as browsers have them, for the clients of this page (happy-dom has none): a request
 * runs once the previous holder of its name has finished.
 */
function installWebLocks(): void {
  const tails = new Map<string, Promise<unknown>>();
  const locks = {
    request<T>(name: string, cb: () => Promise<T>): Promise<T> {
      const run = (tails.get(name) ?? Promise.resolve()).then(cb);
      tails.set(name, run.catch(() => undefined));
      return run;
    },
  };
  Object.defineProperty(navigator, 'locks', { configurable: true, get: () => locks });
}

beforeEach(installWebLocks);
afterEach(() => {
  vi.useRealTimers();
  delete (navigator as { locks?: unknown }).locks;
});

describe('AWS credentials from an identity pool', { timeout: 20_000 }, () => {
  it('GetId then GetCredentialsForIdentity with the ID token as the pool login, shaped for the AWS SDK', async () => {
    const { auth, pool } = await signedIn();
    const creds = await auth.getAwsCredentials();
    expect(creds).toEqual({
      accessKeyId: expect.stringMatching(/^ASIA/),
      secretAccessKey: expect.any(String),
      sessionToken: expect.any(String),
      expiration: expect.any(Date),
      identityId: expect.stringMatching(/^us-east-1:/),
    });
    expect(creds.expiration.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(await auth.getIdentityId()).toBe(creds.identityId);
    expect(pool.counts).toEqual({ getId: 1, credentials: 1 });
    const idToken = await auth.getIdToken();
    expect(pool.calls.map((c) => c.body)).toEqual([
      { IdentityPoolId: IDENTITY_POOL_ID, Logins: { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool': idToken } },
      { IdentityId: creds.identityId, Logins: { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool': idToken } },
    ]);
    expect(pool.calls.every((c) => !c.url.includes(idToken.slice(0, 20)))).toBe(true); // never in a URL
  });

  it('20 concurrent callers make one GetId and one GetCredentialsForIdentity', async () => {
    const { auth, pool } = await signedIn();
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? auth.getIdentityId() : auth.getAwsCredentials())));
    expect(new Set(all.map((c) => (typeof c === 'string' ? c : c.identityId))).size).toBe(1);
    expect(new Set(all.filter((c) => typeof c !== 'string').map((c) => (c as { accessKeyId: string }).accessKeyId)).size).toBe(1);
    expect(pool.counts).toEqual({ getId: 1, credentials: 1 });
  });

  it('one GetId per user ever: a reload reuses the identity id and the credentials kept beside the session', async () => {
    const { app, auth, pool } = await signedIn();
    const first = await auth.getAwsCredentials();
    const reloaded = app.another({ identityPoolId: IDENTITY_POOL_ID, silentRenew: false });
    await reloaded.init();
    expect(await reloaded.getIdentityId()).toBe(first.identityId);
    expect((await reloaded.getAwsCredentials()).accessKeyId).toBe(first.accessKeyId);
    expect(pool.counts).toEqual({ getId: 1, credentials: 1 });
    // After they expire: one GetCredentialsForIdentity, still no GetId.
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3600_000);
    const third = app.another({ identityPoolId: IDENTITY_POOL_ID, silentRenew: false });
    await third.init();
    const next = await Promise.all([third.getAwsCredentials(), third.getAwsCredentials()]);
    expect(next[0].accessKeyId).not.toBe(first.accessKeyId);
    expect(next[1].accessKeyId).toBe(next[0].accessKeyId);
    expect(pool.counts).toEqual({ getId: 1, credentials: 2 });
  });

  it('two tabs sharing storage, 20 callers each: one GetId, one GetCredentialsForIdentity', async () => {
    const { app, auth, pool } = await signedIn({ storage: 'local' });
    const other = app.another({ identityPoolId: IDENTITY_POOL_ID, silentRenew: false, storage: 'local' });
    await other.init();
    expect(other.getState().status).toBe('authenticated');
    const calls = Array.from({ length: 20 }, () => [auth.getAwsCredentials(), other.getAwsCredentials()]).flat();
    const all = await Promise.all(calls);
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);
    expect(pool.counts).toEqual({ getId: 1, credentials: 1 });
  });

  it('two tabs with their own storage hand the credentials over (BroadcastChannel): one request of each', async () => {
    const { app, auth, pool } = await signedIn();
    const other = app.another({ identityPoolId: IDENTITY_POOL_ID, silentRenew: false, storage: copyOfSessionStorage() });
    await other.init();
    expect(other.getState().status).toBe('authenticated');
    const all = await Promise.all([auth.getAwsCredentials(), other.getAwsCredentials(), auth.getAwsCredentials(), other.getAwsCredentials()]);
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);
    expect(pool.counts).toEqual({ getId: 1, credentials: 1 });
  });

  it('a tab with its own storage hears what another tab got later, and keeps it for a reload', async () => {
    const { app, auth, pool } = await signedIn();
    const storage = copyOfSessionStorage();
    const other = app.another({ identityPoolId: IDENTITY_POOL_ID, silentRenew: false, storage });
    await other.init();
    await Promise.all([auth.getAwsCredentials(), other.getAwsCredentials()]);
    const forced = await auth.getAwsCredentials({ forceRefresh: true });
    await vi.waitFor(async () => expect((await other.getAwsCredentials()).accessKeyId).toBe(forced.accessKeyId));
    const reloaded = app.another({ identityPoolId: IDENTITY_POOL_ID, silentRenew: false, storage });
    await reloaded.init();
    expect((await reloaded.getAwsCredentials()).accessKeyId).toBe(forced.accessKeyId);
    expect(pool.counts).toEqual({ getId: 1, credentials: 2 });
  });

  it('without Web Locks (browsers before 2022) a tab still makes one request for its callers, and another tab at most one more', async () => {
    delete (navigator as { locks?: unknown }).locks;
    expect((navigator as { locks?: unknown }).locks).toBeFalsy();
    const { app, auth, pool } = await signedIn({ storage: 'local' });
    const other = app.another({ identityPoolId: IDENTITY_POOL_ID, silentRenew: false, storage: 'local' });
    await other.init();
    const all = await Promise.all(Array.from({ length: 10 }, () => [auth.getAwsCredentials(), other.getAwsCredentials()]).flat());
    expect(new Set(all.map((c) => c.identityId)).size).toBe(1);
    expect(pool.counts.getId).toBeLessThanOrEqual(2);
    expect(pool.counts.credentials).toBeLessThanOrEqual(2);
    await Promise.all([auth.getAwsCredentials(), other.getAwsCredentials()]);
    expect(pool.counts.credentials).toBeLessThanOrEqual(2);
  });

  it('credentials are fetched again 5 minutes before they expire, once for concurrent callers', async () => {
    const { auth, pool } = await signedIn();
    const first = await auth.getAwsCredentials();
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date'] });
    vi.setSystemTime(first.expiration.getTime() - 301_000);
    expect((await auth.getAwsCredentials()).accessKeyId).toBe(first.accessKeyId);
    vi.setSystemTime(first.expiration.getTime() - 299_000);
    const next = await Promise.all(Array.from({ length: 5 }, () => auth.getAwsCredentials()));
    expect(new Set(next.map((c) => c.accessKeyId))).toEqual(new Set([next[0]?.accessKeyId]));
    expect(next[0]?.accessKeyId).not.toBe(first.accessKeyId);
    expect(pool.counts).toEqual({ getId: 1, credentials: 2 });
  });

  it('an ID token that is expired or due is renewed first, then the credentials are fetched with the new one', async () => {
    const { app, auth, pool } = await signedIn({}, 900);
    const first = await auth.getAwsCredentials();
    const oldIdToken = await auth.getIdToken();
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3600_000); // tokens and credentials expired
    const next = await auth.getAwsCredentials();
    expect(next.accessKeyId).not.toBe(first.accessKeyId);
    expect(app.cognito.pool.counts.refresh).toBe(1);
    const newIdToken = await auth.getIdToken();
    expect(newIdToken).not.toBe(oldIdToken);
    expect(Object.values(pool.calls.at(-1)?.body.Logins as object)).toEqual([newIdToken]);
    expect(pool.counts).toEqual({ getId: 1, credentials: 2 });
  });

  it('forceRefresh fetches new credentials every time (never GetId again)', async () => {
    const { auth, pool } = await signedIn();
    const a = await auth.getAwsCredentials();
    const b = await auth.getAwsCredentials({ forceRefresh: true });
    const c = await auth.getAwsCredentials({ forceRefresh: true });
    expect(new Set([a.accessKeyId, b.accessKeyId, c.accessKeyId]).size).toBe(3);
    expect((await auth.getAwsCredentials()).accessKeyId).toBe(c.accessKeyId);
    expect(pool.counts).toEqual({ getId: 1, credentials: 3 });
  });

  it('a CustomRoleArn is sent; a role the pool refuses is identity_pool_refused with the AWS error type', async () => {
    const { auth, pool } = await signedIn({ customRoleArn: ROLE_ARN });
    await auth.getAwsCredentials();
    expect(pool.calls.at(-1)?.body.CustomRoleArn).toBe(ROLE_ARN);
    pool.roles = [];
    const err = await auth.getAwsCredentials({ forceRefresh: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ code: 'identity_pool_refused', awsError: 'NotAuthorizedException', status: 400 });
  });

  it('a refused login is identity_pool_refused (AWS error type kept), and nobody is signed out', async () => {
    const { auth, pool, error } = await signedIn();
    pool.replies.push(() => error('NotAuthorizedException', 'Invalid login token. Issuer doesn\'t match providerName'));
    const err = await auth.getAwsCredentials().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AuthError', code: 'identity_pool_refused', awsError: 'NotAuthorizedException', status: 400 });
    expect((err as Error).message).toMatch(/Issuer doesn't match/);
    expect(auth.getState().status).toBe('authenticated');
    expect((await auth.getAwsCredentials()).accessKeyId).toMatch(/^ASIA/); // not backed off: a refusal is no fault
  });

  it('an identity pool that does not exist is identity_pool_refused with ResourceNotFoundException', async () => {
    const { auth } = await signedIn({ identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000' });
    await expect(auth.getAwsCredentials()).rejects.toMatchObject({ code: 'identity_pool_refused', awsError: 'ResourceNotFoundException' });
    await expect(auth.getIdentityId()).rejects.toMatchObject({ code: 'identity_pool_refused', awsError: 'ResourceNotFoundException' });
  });

  it('a kept identity id the pool no longer knows is replaced by a new GetId, once', async () => {
    const { auth, pool } = await signedIn();
    const first = await auth.getAwsCredentials();
    pool.deleteIdentities();
    const next = await auth.getAwsCredentials({ forceRefresh: true });
    expect(next.identityId).not.toBe(first.identityId);
    expect(await auth.getIdentityId()).toBe(next.identityId);
    expect(pool.counts).toEqual({ getId: 2, credentials: 3 });
  });

  it('throttling is a transient network_error with back-off, never a sign-out', async () => {
    const { auth, pool, error } = await signedIn();
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date'] });
    pool.replies.push(() => error('TooManyRequestsException', 'Rate exceeded'), () => error('LimitExceededException', 'Limit exceeded'));
    await expect(auth.getAwsCredentials()).rejects.toMatchObject({ code: 'network_error', awsError: 'TooManyRequestsException', status: 400 });
    // Backing off: no request for 1 s.
    await expect(auth.getAwsCredentials()).rejects.toMatchObject({ code: 'network_error', awsError: 'TooManyRequestsException' });
    expect(pool.calls).toHaveLength(1);
    vi.setSystemTime(Date.now() + 1100);
    await expect(auth.getAwsCredentials()).rejects.toMatchObject({ code: 'network_error', awsError: 'LimitExceededException' });
    expect(pool.calls).toHaveLength(2);
    vi.setSystemTime(Date.now() + 1100); // the second back-off is 2 s
    await expect(auth.getAwsCredentials()).rejects.toMatchObject({ awsError: 'LimitExceededException' });
    expect(pool.calls).toHaveLength(2);
    vi.setSystemTime(Date.now() + 1000);
    expect((await auth.getAwsCredentials()).accessKeyId).toMatch(/^ASIA/);
    expect(auth.getState().status).toBe('authenticated');
  });

  it('a 5xx or no answer is network_error; credentials that are due but not expired still serve meanwhile', async () => {
    const { auth, pool, error } = await signedIn();
    const first = await auth.getAwsCredentials();
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date'] });
    vi.setSystemTime(first.expiration.getTime() - 60_000); // due
    pool.replies.push(() => error('InternalErrorException', 'Internal error', 500));
    expect((await auth.getAwsCredentials()).accessKeyId).toBe(first.accessKeyId);
    await expect(auth.getAwsCredentials({ forceRefresh: true })).rejects.toMatchObject({ code: 'network_error' }); // backing off
    vi.setSystemTime(first.expiration.getTime() + 1000); // expired
    pool.replies.push(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(auth.getAwsCredentials()).rejects.toMatchObject({ code: 'network_error', status: 502 });
    expect(auth.getState().status).toBe('authenticated');
  });

  it('sign-out forgets the identity id and the credentials everywhere; signing in again starts over', async () => {
    const { app, auth, pool } = await signedIn({ storage: 'local' });
    const other = app.another({ identityPoolId: IDENTITY_POOL_ID, silentRenew: false, storage: 'local' });
    await other.init();
    await Promise.all([auth.getAwsCredentials(), other.getAwsCredentials()]);
    expect(awsKeys()).toHaveLength(1);
    await auth.signOut();
    expect(awsKeys()).toEqual([]);
    await vi.waitFor(() => expect(other.getState().status).toBe('unauthenticated'));
    await expect(other.getAwsCredentials()).rejects.toMatchObject({ code: 'login_required' });
    await expect(auth.getIdentityId()).rejects.toMatchObject({ code: 'login_required' });
    window.happyDOM?.setURL('https://app.example.com/');
    await app.signInAs();
    await auth.getAwsCredentials();
    expect(pool.counts).toEqual({ getId: 2, credentials: 2 });
  });

  it('another user signing in forgets the last one’s identity id and credentials', async () => {
    const { app, auth, pool } = await signedIn();
    const alice = await auth.getAwsCredentials();
    await app.reachCallback(BOB);
    await auth.handleCallback();
    expect(awsKeys()).toEqual([]);
    const bob = await auth.getAwsCredentials();
    expect(bob.identityId).not.toBe(alice.identityId);
    expect(pool.counts).toEqual({ getId: 2, credentials: 2 });
  });

  it('not signed in is login_required; no identityPoolId is invalid_config', async () => {
    const app = await createTestApp({ identityPoolId: IDENTITY_POOL_ID });
    await app.auth.init();
    await expect(app.auth.getAwsCredentials()).rejects.toMatchObject({ code: 'login_required' });
    const plain = await createTestApp();
    await plain.signInAs();
    await expect(plain.auth.getAwsCredentials()).rejects.toMatchObject({ code: 'invalid_config', message: /identityPoolId/ });
    await expect(plain.auth.getIdentityId()).rejects.toMatchObject({ code: 'invalid_config' });
  });
});
