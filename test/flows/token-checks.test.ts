import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError, type CognitoAuthConfig } from '../../src/index.js';
import { makeKey, type Tamper } from '../support/cognito.js';
import { createTestApp } from '../support/app.js';

const now = () => Math.floor(Date.now() / 1000);
const b64json = (o: unknown) => base64url.encode(JSON.stringify(o));
const parts = (t: string) => t.split('.') as [string, string, string];

/** Sign in with the pool minting tokens changed by `tamper`; expect `reason` and nothing stored. */
async function refused(tamper: Tamper | (() => Promise<Tamper>), reason: string, config: Partial<CognitoAuthConfig> = {}) {
  const app = await createTestApp(config);
  app.cognito.pool.tamper = typeof tamper === 'function' ? await tamper() : tamper;
  await app.reachCallback();
  const err = (await app.auth.handleCallback().catch((e: unknown) => e)) as AuthError;
  expect(err).toBeInstanceOf(AuthError);
  expect({ code: err.code, reason: err.reason }).toEqual({ code: 'id_token_invalid', reason });
  expect(app.auth.getUser()).toBeNull();
  expect(app.auth.getState().status).toBe('error');
  window.happyDOM?.setURL('https://app.example.com/');
  expect((await app.another().init()).status).toBe('unauthenticated');
  return err;
}

describe('the ID token is verified, and a token bad in one way is refused', () => {
  it('signed by a key the pool does not publish', async () => {
    await refused(async () => ({ idKey: await makeKey('id-key-1') }), 'signature');
  });
  it('naming a kid no key set has', async () => {
    await refused(async () => ({ idKey: await makeKey('rogue-kid') }), 'kid');
  });
  it('alg: none (unsigned)', async () => {
    await refused({ idToken: (t) => `${b64json({ alg: 'none', typ: 'JWT' })}.${parts(t)[1]}.` }, 'alg');
  });
  it('an HMAC algorithm', async () => {
    await refused({ idToken: (t) => `${b64json({ alg: 'HS256', kid: 'id-key-1' })}.${parts(t)[1]}.${parts(t)[2]}` }, 'alg');
  });
  it('an algorithm other than the configured one', async () => {
    await refused({}, 'alg', { tokenValidationAlgorithm: 'RS512' });
  });
  it('a payload changed after signing', async () => {
    await refused({ idToken: (t) => `${parts(t)[0]}.${b64json({ sub: 'mallory' })}.${parts(t)[2]}` }, 'signature');
  });
  it('a truncated token', async () => {
    await refused({ idToken: (t) => t.split('.').slice(0, 2).join('.') }, 'malformed');
  });
  it('an extra segment', async () => {
    await refused({ idToken: (t) => `${t}.extra` }, 'malformed');
  });
  it('a malformed header', async () => {
    await refused({ idToken: (t) => `not-json.${parts(t)[1]}.${parts(t)[2]}` }, 'malformed');
  });
  it('another issuer', async () => {
    await refused({ id: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' } }, 'iss');
  });
  it('another audience', async () => {
    await refused({ id: { aud: 'another-client' } }, 'aud');
  });
  it('several audiences without azp = this client', async () => {
    await refused({ id: { aud: ['test-client-id', 'another-client'] } }, 'azp');
  });
  it('an azp of another client', async () => {
    await refused({ id: { azp: 'another-client' } }, 'azp');
  });
  it('expired beyond the clock skew', async () => {
    await refused({ id: { exp: now() - 300, iat: now() - 4000 } }, 'exp', { maxClockSkew: 60 });
  });
  it('issued in the future beyond the clock skew', async () => {
    await refused({ id: { iat: now() + 600 } }, 'iat', { maxClockSkew: 60 });
  });
  it('not valid before a future nbf', async () => {
    await refused({ id: { nbf: now() + 600 } }, 'nbf', { maxClockSkew: 60 });
  });
  it('without exp', async () => {
    await refused({ id: { exp: undefined } }, 'exp');
  });
  it('an access token presented as the ID token (token_use)', async () => {
    await refused({ id: { token_use: 'access' } }, 'token_use');
  });
  it('a nonce that is not the one sent', async () => {
    await refused({ id: { nonce: 'replayed-nonce' } }, 'nonce');
  });
  it('no nonce', async () => {
    await refused({ id: { nonce: undefined } }, 'nonce');
  });
  it('an at_hash that does not match the access token', async () => {
    await refused({ id: { at_hash: 'AAAAAAAAAAAAAAAAAAAAAA' } }, 'at_hash');
  });
  it('an auth_time older than maxAge', async () => {
    await refused({ id: { auth_time: now() - 7200 } }, 'auth_time', { maxAge: 3600, maxClockSkew: 60 });
  });
  it('no auth_time when maxAge was asked', async () => {
    await refused({ id: { auth_time: undefined } }, 'auth_time', { maxAge: 3600 });
  });
  it('an auth_time in the future', async () => {
    await refused({ id: { auth_time: now() + 3600 } }, 'auth_time', { maxClockSkew: 60 });
  });
});

describe('the access token is verified too', () => {
  it('with token_use other than access', async () => {
    await refused({ access: { token_use: 'id' } }, 'access_token.token_use');
  });
  it('issued to another client', async () => {
    await refused({ access: { client_id: 'another-client' } }, 'access_token.client_id');
  });
  it('from another issuer', async () => {
    await refused({ access: { iss: 'https://evil.example.com' } }, 'access_token.iss');
  });
  it('with a broken signature', async () => {
    await refused({ accessToken: (t) => `${t.slice(0, -6)}AAAAAA` }, 'access_token.signature');
  });
});

describe('key sets', () => {
  it('are fetched once and reused across sign-ins and by the next page load', async () => {
    const app = await createTestApp();
    await app.signInAs();
    const again = app.another();
    await app.auth.signIn();
    window.happyDOM?.setURL(app.cognito.authorize(app.navigations.at(-1) as string));
    await again.handleCallback(); // another page load: the key set comes from storage
    await app.reachCallback();
    await app.auth.handleCallback();
    expect(app.cognito.pool.counts.jwks).toBe(1);
  });

  it('accepts a token signed by any key of the configured key sets (union)', async () => {
    const extra = await makeKey('other-set-key');
    const app = await createTestApp({
      publicKeyUrls: ['https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool/.well-known/jwks.json', 'https://keys.example.com/jwks'],
    });
    const { http, HttpResponse } = await import('msw');
    const { server } = await import('../support/setup.js');
    server.use(http.get('https://keys.example.com/jwks', () => HttpResponse.json({ keys: [extra.jwk] })));
    app.cognito.pool.tamper = { idKey: extra };
    await app.reachCallback();
    const { user } = await app.auth.handleCallback();
    expect(user.principal).toBe('alice');
  });
});

describe('key rotation', () => {
  it('a token signed with a key published right after the last fetch is accepted (one refetch per new kid)', async () => {
    const app = await createTestApp();
    await app.signInAs(); // fetched the key set just now
    const rotated = await makeKey('id-key-2');
    app.cognito.pool.keys.push(rotated);
    app.cognito.pool.tamper = { idKey: rotated };
    await app.reachCallback();
    expect((await app.auth.handleCallback()).user.principal).toBe('alice');
    expect(app.cognito.pool.counts.jwks).toBe(2);

    // a kid nobody publishes: one refetch, then refused; the same kid again right after: no refetch
    app.cognito.pool.tamper = { idKey: await makeKey('rogue') };
    for (const expected of [3, 3]) {
      await app.reachCallback();
      await expect(app.auth.handleCallback()).rejects.toMatchObject({ code: 'id_token_invalid', reason: 'kid' });
      expect(app.cognito.pool.counts.jwks).toBe(expected);
    }
  });
});

describe('the key cache kept beside the session', () => {
  it('lets a renew after a reload verify without a key request', async () => {
    const app = await createTestApp({ silentRenew: false });
    await app.signInAs();
    window.happyDOM?.setURL('https://app.example.com/');
    const reloaded = app.another({ silentRenew: false });
    await reloaded.init();
    await reloaded.getAccessToken({ forceRefresh: true });
    expect(app.cognito.pool.counts).toMatchObject({ jwks: 1, refresh: 1 });
  });

  it('is fetched again when it is stale (a key under a known kid changed), and the sign-in succeeds', async () => {
    const app = await createTestApp();
    await app.signInAs();
    const key = Object.keys(sessionStorage).find((k) => k.endsWith('.jwks')) as string;
    const stale = await makeKey('id-key-1'); // same kid, another key
    const cached = JSON.parse(sessionStorage.getItem(key) as string) as { keys: Array<{ kid: string }> };
    cached.keys = cached.keys.map((k) => (k.kid === 'id-key-1' ? stale.jwk : k)) as typeof cached.keys;
    sessionStorage.setItem(key, JSON.stringify(cached));
    const next = app.another();
    await app.auth.signIn();
    window.happyDOM?.setURL(app.cognito.authorize(app.navigations.at(-1) as string));
    expect((await next.handleCallback()).user.principal).toBe('alice');
    expect(app.cognito.pool.counts.jwks).toBe(2);
  });
});
