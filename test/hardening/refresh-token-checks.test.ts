/**
 * The refresh grant is held to every check of the callback: a renewed ID or access token that
 * lies about its key, its algorithm or its claims is refused with `id_token_invalid` and the
 * precise `reason`, the session ends (reason `id_token_invalid`) and nothing new is stored.
 */
import { CompactSign, base64url, exportSPKI, importJWK } from 'jose';
import { http, HttpResponse } from 'msw';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthError, type AuthEventMap, type CognitoAuthConfig } from '../../src/index.js';
import { ALICE, AUTHORITY, CLIENT_ID, makeKey, type CognitoMock, type Tamper } from '../support/cognito.js';
import { server } from '../support/setup.js';
import { HOME, SESSION_KEY, makeApp, recordingStorage, rejection, rotateKeys } from './harness.js';

const now = () => Math.floor(Date.now() / 1000);
const b64json = (o: unknown) => base64url.encode(JSON.stringify(o));
const parts = (t: string) => t.split('.') as [string, string, string];
const header = (t: string) => JSON.parse(new TextDecoder().decode(base64url.decode(parts(t)[0]))) as Record<string, unknown>;
const payload = (t: string) => JSON.parse(new TextDecoder().decode(base64url.decode(parts(t)[1]))) as Record<string, unknown>;
const OTHER_POOL = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other';

afterEach(() => {
  vi.useRealTimers();
});

/** A signed-in app on a recording storage, with silent renew off so a test renews when it says so. */
async function signedIn(config: Partial<CognitoAuthConfig> = {}, fresh = false) {
  const rec = recordingStorage();
  const app = await makeApp({ storage: rec.storage, silentRenew: false, ...config }, {}, fresh);
  await app.signInAs();
  const events: Array<[keyof AuthEventMap, unknown]> = [];
  for (const name of ['signedOut', 'tokensRenewed', 'renewFailed', 'sessionExpired'] as const) app.auth.on(name, (p) => events.push([name, p]));
  const stored = rec.map.get(SESSION_KEY) as string;
  expect(JSON.parse(stored)).toMatchObject({ sub: ALICE.sub });
  rec.writes.length = 0;
  return { app, rec, events, stored };
}

type TamperSpec = Tamper | ((c: CognitoMock) => Tamper | Promise<Tamper>);

/** Sign in, make the pool mint renewed tokens changed by `tamper`, renew: refused with `reason`. */
async function refusedOnRefresh(tamper: TamperSpec, reason: string, config: Partial<CognitoAuthConfig> = {}) {
  const { app, rec, events } = await signedIn(config);
  app.cognito.pool.tamper = typeof tamper === 'function' ? await tamper(app.cognito) : tamper;
  const err = await rejection(app.auth.getAccessToken({ forceRefresh: true }));
  expect(err).toBeInstanceOf(AuthError);
  expect({ code: (err as AuthError).code, reason: (err as AuthError).reason }).toEqual({ code: 'id_token_invalid', reason });
  expect(app.cognito.pool.counts.refresh).toBe(1);
  // The session ended, for this reason, and the refused tokens were never stored or shown.
  expect(app.auth.getState()).toEqual({ status: 'unauthenticated', user: null, error: err });
  expect(events).toEqual([['signedOut', { reason: 'id_token_invalid' }]]);
  expect(rec.writes.filter(([k]) => k === SESSION_KEY)).toEqual([]);
  expect(rec.map.has(SESSION_KEY)).toBe(false);
  await expect(app.auth.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
  window.happyDOM?.setURL(HOME);
  expect((await app.another().init()).status).toBe('unauthenticated');
  return err as AuthError;
}

/** Sign in and renew with the pool minting tokens changed by `tamper`: the renew is accepted. */
async function acceptedOnRefresh(tamper: Tamper, config: Partial<CognitoAuthConfig> = {}) {
  const { app, rec, events, stored } = await signedIn(config);
  app.cognito.pool.tamper = tamper;
  const token = await app.auth.getAccessToken({ forceRefresh: true });
  expect(token).not.toBe(JSON.parse(stored).accessToken);
  expect(app.auth.getState().status).toBe('authenticated');
  expect(events.map(([n]) => n)).toEqual(['tokensRenewed']);
  expect(JSON.parse(rec.map.get(SESSION_KEY) as string).accessToken).toBe(token);
  return app;
}

/** Access-token claims as the pool mints them, for a token signed outside the pool. */
const accessClaims = (extra: Record<string, unknown> = {}) => ({
  sub: ALICE.sub, iss: AUTHORITY, client_id: CLIENT_ID, token_use: 'access', scope: 'openid email profile',
  auth_time: now(), iat: now(), exp: now() + 3600, username: 'alice', ...extra,
});

describe('refresh grant: a renewed ID token that lies about its key or algorithm', () => {
  it('signed by a key the pool does not publish, under the pool’s kid', async () => {
    await refusedOnRefresh(async () => ({ idKey: await makeKey('id-key-1') }), 'signature');
  });
  it('signed by a key not yet published (a kid no key set has)', async () => {
    await refusedOnRefresh(async () => ({ idKey: await makeKey('id-key-2') }), 'kid');
  });
  it('a mismatched kid: signed with the ID key, naming the access key', async () => {
    await refusedOnRefresh({ idHeader: { kid: 'access-key-1' } }, 'signature');
  });
  it('alg: none, unsigned', async () => {
    await refusedOnRefresh({ idToken: (t) => `${b64json({ alg: 'none', typ: 'JWT' })}.${parts(t)[1]}.` }, 'alg');
  });
  it('alg: none, keeping the kid and the old signature', async () => {
    await refusedOnRefresh({ idToken: (t) => `${b64json({ alg: 'none', kid: 'id-key-1' })}.${parts(t)[1]}.${parts(t)[2]}` }, 'alg');
  });
  it('HS256 keyed with the pool’s public key (algorithm confusion)', async () => {
    await refusedOnRefresh(async (c) => {
      const pem = await exportSPKI(await importJWK(c.idKey.jwk, 'RS256') as CryptoKey);
      return {
        idToken: (t) => {
          const input = `${b64json({ alg: 'HS256', kid: 'id-key-1', typ: 'JWT' })}.${parts(t)[1]}`;
          return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
        },
      };
    }, 'alg');
  });
  it('RS512 under the pool’s kid when RS256 is configured', async () => {
    await refusedOnRefresh(async () => ({ idKey: await makeKey('id-key-1', 'RS512') }), 'alg');
  });
  it('PS256 (another RSA scheme)', async () => {
    await refusedOnRefresh(async () => ({ idKey: await makeKey('id-key-1', 'PS256') }), 'alg');
  });
  it('ES256 (another key type)', async () => {
    await refusedOnRefresh(async () => ({ idKey: await makeKey('id-key-1', 'ES256') }), 'alg');
  });
  it('an embedded jwk header carrying the signer’s own key is ignored', async () => {
    await refusedOnRefresh(async () => {
      const rogue = await makeKey('id-key-1');
      return { idKey: rogue, idHeader: { jwk: { kty: rogue.jwk.kty, n: rogue.jwk.n, e: rogue.jwk.e } } };
    }, 'signature');
  });
  it('a jku header pointing at another key set is never fetched', async () => {
    let fetched = 0;
    server.use(http.get('https://evil.example.com/jwks.json', () => (fetched++, HttpResponse.json({ keys: [] }))));
    await refusedOnRefresh(async () => ({ idKey: await makeKey('evil-kid'), idHeader: { jku: 'https://evil.example.com/jwks.json' } }), 'kid');
    expect(fetched).toBe(0);
  });
  it('a malformed header (not base64url JSON)', async () => {
    await refusedOnRefresh({ idToken: (t) => `not-json.${parts(t)[1]}.${parts(t)[2]}` }, 'malformed');
  });
  it('a header without alg', async () => {
    await refusedOnRefresh({ idToken: (t) => `${b64json({ kid: 'id-key-1', typ: 'JWT' })}.${parts(t)[1]}.${parts(t)[2]}` }, 'malformed');
  });
  it('a properly signed payload that is not JSON', async () => {
    await refusedOnRefresh(async (c) => {
      const forged = await new CompactSign(new TextEncoder().encode('this is not JSON')).setProtectedHeader({ alg: 'RS256', kid: 'id-key-1' }).sign(c.idKey.privateKey);
      return { idToken: () => forged };
    }, 'malformed');
  });
  it('a properly signed payload that is a JSON array', async () => {
    await refusedOnRefresh(async (c) => {
      const forged = await new CompactSign(new TextEncoder().encode('["sub","iss"]')).setProtectedHeader({ alg: 'RS256', kid: 'id-key-1' }).sign(c.idKey.privateKey);
      return { idToken: () => forged };
    }, 'malformed');
  });
  it('a payload changed after signing', async () => {
    await refusedOnRefresh({ idToken: (t) => `${parts(t)[0]}.${b64json({ ...payload(t), 'cognito:groups': ['admins', 'root'] })}.${parts(t)[2]}` }, 'signature');
  });
  it('the signature of another genuine token grafted on', async () => {
    await refusedOnRefresh(async (c) => {
      const other = await c.sign({ sub: ALICE.sub, iss: AUTHORITY, aud: CLIENT_ID, token_use: 'id', iat: now(), exp: now() + 60 }, c.idKey);
      return { idToken: (t) => `${parts(t)[0]}.${parts(t)[1]}.${parts(other)[2]}` };
    }, 'signature');
  });
  it('a stripped signature', async () => {
    await refusedOnRefresh({ idToken: (t) => `${parts(t)[0]}.${parts(t)[1]}.` }, 'signature');
  });
  it('a truncated token (two segments)', async () => {
    await refusedOnRefresh({ idToken: (t) => `${parts(t)[0]}.${parts(t)[1]}` }, 'malformed');
  });
  it('an extra segment', async () => {
    await refusedOnRefresh({ idToken: (t) => `${t}.extra` }, 'malformed');
  });
  it('five segments (a JWE shape)', async () => {
    await refusedOnRefresh({ idToken: (t) => `${parts(t)[0]}..${parts(t)[1]}.${parts(t)[2]}.tag` }, 'malformed');
  });
});

describe('refresh grant: a renewed access token that lies about its key or algorithm', () => {
  it('signed by a key not yet published', async () => {
    await refusedOnRefresh(async (c) => {
      const forged = await c.sign(accessClaims(), await makeKey('access-key-2'));
      return { accessToken: () => forged };
    }, 'access_token.kid');
  });
  it('signed by a key the pool does not publish, under the pool’s kid', async () => {
    await refusedOnRefresh(async (c) => {
      const forged = await c.sign(accessClaims(), await makeKey('access-key-1'));
      return { accessToken: () => forged };
    }, 'access_token.signature');
  });
  it('alg: none', async () => {
    await refusedOnRefresh({ accessToken: (t) => `${b64json({ alg: 'none' })}.${parts(t)[1]}.` }, 'access_token.alg');
  });
  it('not a JWT', async () => {
    await refusedOnRefresh({ accessToken: () => 'opaque-access-token' }, 'access_token.malformed');
  });
});

describe('refresh grant: registered claims of the renewed ID token out of range', () => {
  it('another issuer', async () => {
    await refusedOnRefresh({ id: { iss: OTHER_POOL } }, 'iss');
  });
  it('the issuer with a trailing slash', async () => {
    await refusedOnRefresh({ id: { iss: `${AUTHORITY}/` } }, 'iss');
  });
  it('the issuer as an array', async () => {
    await refusedOnRefresh({ id: { iss: [AUTHORITY] } }, 'iss');
  });
  it('no issuer', async () => {
    await refusedOnRefresh({ id: { iss: undefined } }, 'iss');
  });
  it('another audience', async () => {
    await refusedOnRefresh({ id: { aud: 'another-client' } }, 'aud');
  });
  it('no audience', async () => {
    await refusedOnRefresh({ id: { aud: undefined } }, 'aud');
  });
  it('an audience array without this client', async () => {
    await refusedOnRefresh({ id: { aud: ['another-client'] } }, 'aud');
  });
  it('an empty audience array', async () => {
    await refusedOnRefresh({ id: { aud: [] } }, 'aud');
  });
  it('several audiences and no azp', async () => {
    await refusedOnRefresh({ id: { aud: [CLIENT_ID, 'another-client'] } }, 'azp');
  });
  it('several audiences and azp of another client', async () => {
    await refusedOnRefresh({ id: { aud: [CLIENT_ID, 'another-client'], azp: 'another-client' } }, 'azp');
  });
  it('one audience and azp of another client', async () => {
    await refusedOnRefresh({ id: { azp: 'another-client' } }, 'azp');
  });
  it('expired beyond the clock skew', async () => {
    await refusedOnRefresh({ id: { exp: now() - 300, iat: now() - 4000 } }, 'exp', { maxClockSkew: 60 });
  });
  it('no exp', async () => {
    await refusedOnRefresh({ id: { exp: undefined } }, 'exp');
  });
  it('exp that is not a number', async () => {
    await refusedOnRefresh({ id: { exp: String(now() + 3600) } }, 'exp');
  });
  it('issued in the future beyond the clock skew', async () => {
    await refusedOnRefresh({ id: { iat: now() + 600 } }, 'iat', { maxClockSkew: 60 });
  });
  it('no iat', async () => {
    await refusedOnRefresh({ id: { iat: undefined } }, 'iat');
  });
  it('iat that is not a number', async () => {
    await refusedOnRefresh({ id: { iat: 'now' } }, 'iat');
  });
  it('not valid before a future nbf', async () => {
    await refusedOnRefresh({ id: { nbf: now() + 600 } }, 'nbf', { maxClockSkew: 60 });
  });
  it('auth_time moved back on refresh', async () => {
    await refusedOnRefresh({ id: { auth_time: now() - 10 } }, 'auth_time');
  });
  it('auth_time dropped on refresh', async () => {
    await refusedOnRefresh({ id: { auth_time: undefined } }, 'auth_time');
  });
  it('auth_time that is not a number', async () => {
    await refusedOnRefresh({ id: { auth_time: 'yesterday' } }, 'auth_time');
  });
  it('no sub', async () => {
    await refusedOnRefresh({ id: { sub: undefined } }, 'sub');
  });
});

describe('refresh grant: Cognito’s own claims', () => {
  it('an access token presented as the ID token (token_use)', async () => {
    await refusedOnRefresh({ id: { token_use: 'access' } }, 'token_use');
  });
  it('an ID token without token_use', async () => {
    await refusedOnRefresh({ id: { token_use: undefined } }, 'token_use');
  });
  it('the access token in place of the ID token (it has no aud)', async () => {
    let access = '';
    await refusedOnRefresh({ accessToken: (t) => (access = t), idToken: () => access }, 'aud');
  });
  it('an at_hash that does not match the access token', async () => {
    await refusedOnRefresh({ id: { at_hash: 'AAAAAAAAAAAAAAAAAAAAAA' } }, 'at_hash');
  });
  it('an access token whose token_use is id', async () => {
    await refusedOnRefresh({ access: { token_use: 'id' } }, 'access_token.token_use');
  });
  it('an access token issued to another client', async () => {
    await refusedOnRefresh({ access: { client_id: 'another-client' } }, 'access_token.client_id');
  });
  it('an access token without client_id', async () => {
    await refusedOnRefresh({ access: { client_id: undefined } }, 'access_token.client_id');
  });
  it('an access token for another user', async () => {
    await refusedOnRefresh({ access: { sub: 'someone-else' } }, 'access_token.sub');
  });
  it('an access token of another issuer', async () => {
    await refusedOnRefresh({ access: { iss: OTHER_POOL } }, 'access_token.iss');
  });
  it('an expired access token', async () => {
    await refusedOnRefresh({ access: { exp: now() - 600, iat: now() - 4200 } }, 'access_token.exp', { maxClockSkew: 60 });
  });
  it('an access token issued in the future beyond the clock skew', async () => {
    await refusedOnRefresh({ access: { iat: now() + 600 } }, 'access_token.iat', { maxClockSkew: 60 });
  });
  it('an access token not valid before a future nbf', async () => {
    await refusedOnRefresh({ access: { nbf: now() + 600 } }, 'access_token.nbf', { maxClockSkew: 60 });
  });
});

describe('refresh grant: what a valid renewed token may look like', () => {
  it('an audience array holding only this client', async () => {
    await acceptedOnRefresh({ id: { aud: [CLIENT_ID] } });
  });
  it('several audiences with azp = this client', async () => {
    await acceptedOnRefresh({ id: { aud: [CLIENT_ID, 'another-client'], azp: CLIENT_ID } });
  });
  it('no at_hash (it is checked when present)', async () => {
    await acceptedOnRefresh({ id: { at_hash: undefined } });
  });
  it('no nonce (refreshed ID tokens carry none)', async () => {
    const app = await acceptedOnRefresh({ id: { nonce: undefined } });
    expect(app.auth.getUser()?.claims.nonce).toBeUndefined();
  });
});

describe('key rotation between sign-in and renew', () => {
  const later = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);
  it('the pool drops its old keys and signs renewed tokens with new ones: the SDK refetches the JWKS once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { app, events } = await signedIn({}, true);
    expect(app.cognito.pool.counts.jwks).toBe(1);
    later(600);
    await rotateKeys(app.cognito);
    const token = await app.auth.getAccessToken({ forceRefresh: true });
    expect(header(token).kid).toBe('access-key-2');
    expect(header(await app.auth.getIdToken()).kid).toBe('id-key-2');
    expect(app.cognito.pool.counts.jwks).toBe(2);
    expect(app.auth.getState().status).toBe('authenticated');
    expect(events.map(([n]) => n)).toEqual(['tokensRenewed']);
    await app.auth.getAccessToken({ forceRefresh: true }); // the new keys are cached now
    expect(app.cognito.pool.counts.jwks).toBe(2);
  });

  it('new keys published beside the old ones also renew, with one refetch', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { app } = await signedIn({}, true);
    later(120);
    await rotateKeys(app.cognito, true);
    await app.auth.getAccessToken({ forceRefresh: true });
    expect(app.cognito.pool.counts.jwks).toBe(2);
    expect(app.auth.getState().status).toBe('authenticated');
  });

  it('a page reloaded after the rotation verifies renewed tokens with the keys it fetches first', async () => {
    const { app, rec } = await signedIn({}, true);
    await rotateKeys(app.cognito);
    window.happyDOM?.setURL(HOME);
    const reloaded = app.another({ storage: rec.storage });
    expect((await reloaded.init()).status).toBe('authenticated');
    await reloaded.getAccessToken({ forceRefresh: true });
    expect(reloaded.getState().status).toBe('authenticated');
  });

  it('an unknown kid refetches the key sets at most once per 30 s, then is refused with kid', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { app } = await signedIn();
    const rogue = await makeKey('id-key-9');
    const renewRogue = async () => {
      app.cognito.pool.tamper = { idKey: rogue };
      const err = await rejection(app.auth.getAccessToken({ forceRefresh: true }));
      expect(err).toMatchObject({ code: 'id_token_invalid', reason: 'kid' });
      app.cognito.pool.tamper = {};
      await app.signInAs(); // the refusal ended the session: sign in again (keys stay cached)
    };
    later(31);
    await renewRogue();
    expect(app.cognito.pool.counts.jwks).toBe(2); // refetched once, the kid still unknown
    await renewRogue();
    await renewRogue();
    expect(app.cognito.pool.counts.jwks).toBe(2); // within 30 s of that fetch: no more requests
    later(31);
    await renewRogue();
    expect(app.cognito.pool.counts.jwks).toBe(3);
  });
});
