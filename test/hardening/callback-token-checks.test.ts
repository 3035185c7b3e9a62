/**
 * Token checks at the callback that test/flows/token-checks.test.ts does not cover yet.
 * Each refusal is `id_token_invalid` with the precise reason, and nothing is stored.
 */
import { CompactSign, base64url } from 'jose';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthError, type CognitoAuthConfig } from '../../src/index.js';
import { ALICE, AUTHORITY, CLIENT_ID, makeKey, type CognitoMock, type Tamper } from '../support/cognito.js';
import { server } from '../support/setup.js';
import { HOME, SESSION_KEY, keysOf, makeApp, rejection } from './harness.js';

const now = () => Math.floor(Date.now() / 1000);
const b64json = (o: unknown) => base64url.encode(JSON.stringify(o));
const parts = (t: string) => t.split('.') as [string, string, string];

afterEach(() => {
  vi.useRealTimers();
});

type TamperSpec = Tamper | ((c: CognitoMock) => Tamper | Promise<Tamper>);

async function refusedAtCallback(tamper: TamperSpec, reason: string, config: Partial<CognitoAuthConfig> = {}) {
  const app = await makeApp(config);
  app.cognito.pool.tamper = typeof tamper === 'function' ? await tamper(app.cognito) : tamper;
  const url = await app.callbackUrl();
  const err = await rejection(app.auth.handleCallback(url));
  expect(err).toBeInstanceOf(AuthError);
  expect({ code: (err as AuthError).code, reason: (err as AuthError).reason }).toEqual({ code: 'id_token_invalid', reason });
  expect(app.auth.getState()).toEqual({ status: 'error', user: null, error: err });
  expect(keysOf(sessionStorage).filter((k) => k.endsWith('.session'))).toEqual([]);
  window.happyDOM?.setURL(HOME);
  expect((await app.another().init()).status).toBe('unauthenticated');
}

async function acceptedAtCallback(tamper: Tamper) {
  const app = await makeApp();
  app.cognito.pool.tamper = tamper;
  const { user } = await app.auth.handleCallback(await app.callbackUrl());
  expect(user.principal).toBe('alice');
  expect(sessionStorage.getItem(SESSION_KEY)).not.toBeNull();
}

describe('callback: keys and algorithms (beyond the flows suite)', () => {
  it('a mismatched kid: signed with the ID key, naming the access key', async () => {
    await refusedAtCallback({ idHeader: { kid: 'access-key-1' } }, 'signature');
  });
  it('PS256 under the pool’s kid', async () => {
    await refusedAtCallback(async () => ({ idKey: await makeKey('id-key-1', 'PS256') }), 'alg');
  });
  it('ES256 under the pool’s kid', async () => {
    await refusedAtCallback(async () => ({ idKey: await makeKey('id-key-1', 'ES256') }), 'alg');
  });
  it('an embedded jwk header is ignored', async () => {
    await refusedAtCallback(async () => {
      const rogue = await makeKey('id-key-1');
      return { idKey: rogue, idHeader: { jwk: { kty: rogue.jwk.kty, n: rogue.jwk.n, e: rogue.jwk.e } } };
    }, 'signature');
  });
  it('a jku header is never followed', async () => {
    let fetched = 0;
    server.use(http.get('https://evil.example.com/jwks.json', () => (fetched++, HttpResponse.json({ keys: [] }))));
    await refusedAtCallback(async () => ({ idKey: await makeKey('evil-kid'), idHeader: { jku: 'https://evil.example.com/jwks.json' } }), 'kid');
    expect(fetched).toBe(0);
  });
  it('a header without alg', async () => {
    await refusedAtCallback({ idToken: (t) => `${b64json({ kid: 'id-key-1' })}.${parts(t)[1]}.${parts(t)[2]}` }, 'malformed');
  });
  it('a stripped signature', async () => {
    await refusedAtCallback({ idToken: (t) => `${parts(t)[0]}.${parts(t)[1]}.` }, 'signature');
  });
  it('a properly signed payload that is not JSON', async () => {
    await refusedAtCallback(async (c) => {
      const forged = await new CompactSign(new TextEncoder().encode('{not json')).setProtectedHeader({ alg: 'RS256', kid: 'id-key-1' }).sign(c.idKey.privateKey);
      return { idToken: () => forged };
    }, 'malformed');
  });
  it('an access token signed by a key not yet published', async () => {
    await refusedAtCallback(async (c) => {
      const forged = await c.sign({ sub: ALICE.sub, iss: AUTHORITY, client_id: CLIENT_ID, token_use: 'access', iat: now(), exp: now() + 3600 }, await makeKey('access-key-2'));
      return { accessToken: () => forged };
    }, 'access_token.kid');
  });
});

describe('callback: claims (beyond the flows suite)', () => {
  it('the issuer as an array', async () => {
    await refusedAtCallback({ id: { iss: [AUTHORITY] } }, 'iss');
  });
  it('an audience array without this client', async () => {
    await refusedAtCallback({ id: { aud: ['another-client'] } }, 'aud');
  });
  it('an empty audience array', async () => {
    await refusedAtCallback({ id: { aud: [] } }, 'aud');
  });
  it('several audiences and azp of another client', async () => {
    await refusedAtCallback({ id: { aud: [CLIENT_ID, 'another-client'], azp: 'another-client' } }, 'azp');
  });
  it('exp that is not a number', async () => {
    await refusedAtCallback({ id: { exp: 'tomorrow' } }, 'exp');
  });
  it('no iat', async () => {
    await refusedAtCallback({ id: { iat: undefined } }, 'iat');
  });
  it('no sub', async () => {
    await refusedAtCallback({ id: { sub: undefined } }, 'sub');
  });
  it('no token_use', async () => {
    await refusedAtCallback({ id: { token_use: undefined } }, 'token_use');
  });
  it('a nonce of the wrong type', async () => {
    await refusedAtCallback({ id: { nonce: 12345 } }, 'nonce');
  });
  it('an access token without client_id', async () => {
    await refusedAtCallback({ access: { client_id: undefined } }, 'access_token.client_id');
  });
  it('an access token issued in the future beyond the clock skew', async () => {
    await refusedAtCallback({ access: { iat: now() + 600 } }, 'access_token.iat', { maxClockSkew: 60 });
  });
  it('an access token not valid before a future nbf', async () => {
    await refusedAtCallback({ access: { nbf: now() + 600 } }, 'access_token.nbf', { maxClockSkew: 60 });
  });
  it('accepts an audience array holding only this client', async () => {
    await acceptedAtCallback({ id: { aud: [CLIENT_ID] } });
  });
  it('accepts several audiences with azp = this client', async () => {
    await acceptedAtCallback({ id: { aud: [CLIENT_ID, 'another-client'], azp: CLIENT_ID } });
  });
  it('accepts an access token issued within the clock skew', async () => {
    await acceptedAtCallback({ access: { iat: now() + 30 } });
  });
});

describe('callback: a key published after the key sets were fetched', () => {
  it('is fetched on the unknown kid, once the 30 s cooldown has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const app = await makeApp({}, {}, true);
    await app.signInAs();
    expect(app.cognito.pool.counts.jwks).toBe(1);
    const next = await makeKey('id-key-2');
    app.cognito.pool.keys = [...app.cognito.pool.keys, next];
    app.cognito.pool.tamper = { idKey: next };
    vi.setSystemTime(Date.now() + 31_000);
    const { user } = await app.auth.handleCallback(await app.callbackUrl());
    expect(user.principal).toBe('alice');
    expect(app.cognito.pool.counts.jwks).toBe(2);
  });
});
