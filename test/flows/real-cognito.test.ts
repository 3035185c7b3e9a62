/**
 * What real Cognito pools do that a model IdP easily misses (../shared/cognito-facts.md):
 * rotation moving auth_time, two token lifetimes, error redirects without state, configuration
 * faults on refresh, Multi-Region issuers, pools without a hosted-UI domain.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createCognitoAuth, type AuthEventMap } from '../../src/index.js';
import { baseConfig } from '../support/app.js';
import { AUTHORITY, CALLBACK, DOMAIN } from '../support/cognito.js';
import { server } from '../support/setup.js';
import { later, useFakeClock } from '../support/clock.js';
import { makeApp, rejection } from '../hardening/harness.js';

const TOKEN = `${DOMAIN}/oauth2/token`;
const nowS = () => Math.floor(Date.now() / 1000);

useFakeClock();

/** A signed-in app and the events it emits from now on. */
async function signedIn(extra: Parameters<typeof makeApp>[0] = {}, pool: Parameters<typeof makeApp>[1] = {}) {
  const app = await makeApp({ requestTimeout: 60_000, ...extra }, pool);
  await app.signInAs();
  const events: Array<[keyof AuthEventMap, unknown]> = [];
  for (const name of ['signedOut', 'tokensRenewed', 'renewFailed', 'sessionExpired'] as const) app.auth.on(name, (p) => events.push([name, p]));
  return { app, events, names: () => events.map(([n]) => n) };
}

describe('refresh-token rotation that moves auth_time', () => {
  it('a renewed ID token with a newer auth_time keeps the session', async () => {
    const { app, names } = await signedIn({ silentRenew: false }, { rotate: true });
    const first = app.auth.getUser()?.claims.auth_time as number;
    app.cognito.pool.moveAuthTimeOnRefresh = true;
    await later(30);
    const token = await app.auth.getAccessToken({ forceRefresh: true });
    expect(token.split('.')).toHaveLength(3);
    expect(app.auth.getState().status).toBe('authenticated');
    expect(app.auth.getUser()?.claims.auth_time).toBeGreaterThanOrEqual(first + 30);
    expect(names()).toEqual(['tokensRenewed']);
  });

  it('sessionExpiry still counts from the sign-in: a renew with a newer auth_time does not extend it', async () => {
    const { app, events } = await signedIn({ sessionExpiry: 600, silentRenew: false }, { rotate: true });
    app.cognito.pool.moveAuthTimeOnRefresh = true;
    await later(300);
    await app.auth.getAccessToken({ forceRefresh: true }); // auth_time is now 300 s later
    await later(280);
    expect(app.auth.getState().status).toBe('authenticated');
    await later(30); // 610 s after the sign-in
    expect(app.auth.getState()).toMatchObject({ status: 'unauthenticated', error: { code: 'session_expired' } });
    expect(events.map(([n]) => n)).toEqual(['tokensRenewed', 'sessionExpired', 'signedOut']);
  });

  it('an auth_time in the future is still refused, and ends the session', async () => {
    const { app, names } = await signedIn({ silentRenew: false, maxClockSkew: 60 });
    app.cognito.pool.tamper = { id: { auth_time: nowS() + 600 } };
    expect(await rejection(app.auth.getAccessToken({ forceRefresh: true }))).toMatchObject({ code: 'id_token_invalid', reason: 'auth_time' });
    expect(names()).toEqual(['signedOut']);
  });
});

describe('two token lifetimes (a 5-minute ID token beside a 60-minute access token)', () => {
  const pool = { lifetime: 3600 };
  const shortId = async (extra: Parameters<typeof makeApp>[0] = {}) => {
    const app = await makeApp({ requestTimeout: 60_000, ...extra }, pool);
    app.cognito.pool.idLifetime = 300;
    await app.signInAs();
    return app;
  };

  it('User says when each token expires', async () => {
    const app = await shortId({ silentRenew: false });
    const user = app.auth.getUser();
    expect(user?.expiresAt).toBeGreaterThanOrEqual(nowS() + 3590);
    expect(user?.idTokenExpiresAt).toBeLessThanOrEqual(nowS() + 300);
    expect(user?.idTokenExpiresAt).toBeGreaterThan(nowS() + 290);
  });

  it('getIdToken() renews when the ID token is due, though the access token is fresh', async () => {
    const app = await shortId({ silentRenew: false });
    const firstId = await app.auth.getIdToken();
    const firstAccess = await app.auth.getAccessToken();
    await later(250); // 50 s left on the ID token: inside renewLeadTime
    expect(await app.auth.getAccessToken()).toBe(firstAccess);
    expect(app.cognito.pool.counts.refresh).toBe(0);
    const id = await app.auth.getIdToken();
    expect(id).not.toBe(firstId);
    expect(app.cognito.pool.counts.refresh).toBe(1);
    expect(app.auth.getUser()?.idTokenExpiresAt).toBeGreaterThan(nowS() + 290);
  });

  it('the timer renews before the earlier of the two expiries', async () => {
    const app = await shortId();
    await later(235);
    expect(app.cognito.pool.counts.refresh).toBe(0);
    await later(15);
    expect(app.cognito.pool.counts.refresh).toBe(1);
  });

  it('without a refresh token, an expired ID token is login_required; the access token still serves', async () => {
    const app = await makeApp({ requestTimeout: 60_000, silentRenew: false }, pool);
    app.cognito.pool.idLifetime = 300;
    app.cognito.pool.issueRefresh = false;
    await app.signInAs();
    const access = await app.auth.getAccessToken();
    expect(await app.auth.getIdToken()).toMatch(/\./);
    await later(305);
    expect(await rejection(app.auth.getIdToken())).toMatchObject({ code: 'login_required' });
    expect(await app.auth.getAccessToken()).toBe(access);
    expect(app.auth.getState().status).toBe('authenticated');
  });
});

describe('error redirects without state', () => {
  it('init() ends in error with Cognito’s error, cleans the URL, and the pending sign-in stays usable', async () => {
    const app = await makeApp();
    await app.auth.signIn({ returnTo: '/reports' });
    window.happyDOM?.setURL(`${CALLBACK}?error_description=Invalid+SAML+response&error=invalid_request`);
    const page = app.another();
    expect(page.isCallback()).toBe(true);
    const state = await page.init();
    expect(state.status).toBe('error');
    expect(state.error).toMatchObject({ code: 'idp_error', error: 'invalid_request', errorDescription: 'Invalid SAML response' });
    expect(location.search).toBe('');
    // The hosted UI finishes the earlier attempt after all: its transaction still works.
    const { user, returnTo } = await app.another().handleCallback(app.cognito.authorize(app.navigations[0] as string));
    expect(user.principal).toBe('alice');
    expect(returnTo).toBe('/reports');
  });

  it('a code without state is state_mismatch and is never exchanged', async () => {
    const app = await makeApp();
    await app.auth.signIn();
    window.happyDOM?.setURL(`${CALLBACK}?code=0123456789abcdef`);
    const page = app.another();
    expect(page.isCallback()).toBe(true);
    const state = await page.init();
    expect(state).toMatchObject({ status: 'error', error: { code: 'state_mismatch' } });
    expect(app.cognito.pool.counts.token).toBe(0);
    expect(location.search).toBe('');
  });
});

describe('configuration faults on refresh are not transient', () => {
  it.each(['invalid_client', 'unauthorized_client', 'unsupported_grant_type'])('%s: one refresh, willRetry false, the tokens serve while valid, then login_required', async (error) => {
    const { app, events } = await signedIn({}, { lifetime: 600 });
    let refreshes = 0;
    server.use(http.post(TOKEN, () => (refreshes++, HttpResponse.json({ error }, { status: 400 }))));
    const token = await app.auth.getAccessToken();
    await later(560); // due: the timer tries once
    expect(refreshes).toBe(1);
    expect(events).toEqual([['renewFailed', { error: expect.objectContaining({ code: 'token_request_failed', oauthError: error }), willRetry: false }]]);
    await later(30);
    expect(await app.auth.getAccessToken()).toBe(token); // still valid: still served, no request
    expect(refreshes).toBe(1);
    await later(15); // expired
    expect(await rejection(app.auth.getAccessToken())).toMatchObject({ code: 'login_required' });
    expect(app.auth.getState().status).toBe('unauthenticated');
    expect(refreshes).toBe(1);
  });
});

describe('Multi-Region user pools', () => {
  const REPLICA = 'https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_TestPool';
  const ISSUER_FORM = 'https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool';

  it('a token from a listed replica issuer verifies; its key set is fetched by default', async () => {
    const app = await makeApp({ issuers: [REPLICA] }, { issuers: [REPLICA] });
    app.cognito.pool.issuer = REPLICA;
    await app.signInAs();
    expect(app.auth.getUser()?.claims.iss).toBe(REPLICA);
    expect(app.cognito.pool.counts.jwks).toBe(2); // authority's and the replica's
    // A reload restores it: the stored session's issuer is accepted too.
    window.happyDOM?.setURL('https://app.example.com/');
    expect((await app.another().init()).status).toBe('authenticated');
  });

  it('a replica issuer not listed is refused (iss)', async () => {
    const app = await makeApp({}, { issuers: [REPLICA] });
    app.cognito.pool.issuer = REPLICA;
    expect(await rejection(app.auth.handleCallback(await app.callbackUrl()))).toMatchObject({ code: 'id_token_invalid', reason: 'iss' });
  });

  it('an issuer-cognito-idp authority works, with the keys of that issuer', async () => {
    const app = await makeApp({ authority: ISSUER_FORM }, { issuers: [ISSUER_FORM] });
    app.cognito.pool.issuer = ISSUER_FORM;
    await app.signInAs();
    expect(app.auth.getUser()?.principal).toBe('alice');
  });

  it.each([
    [['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other'], /same user pool/],
    [['not a url'], /issuers\[0\]/],
    [['http://cognito-idp.eu-west-1.amazonaws.com/us-east-1_TestPool'], /https/],
    ['https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_TestPool', /array/],
  ])('issuers %j is invalid_config', (issuers, message) => {
    expect(() => createCognitoAuth({ ...baseConfig, issuers: issuers as string[] })).toThrow(expect.objectContaining({ code: 'invalid_config', message: expect.stringMatching(message) }));
  });
});

describe('old pools without a hosted-UI domain', () => {
  it('signIn() is invalid_config saying domain must be set, and navigates nowhere', async () => {
    const app = await makeApp({ domain: undefined });
    const issuerHost = new URL(AUTHORITY).origin;
    server.use(http.get(`${AUTHORITY}/.well-known/openid-configuration`, () => HttpResponse.json({
      issuer: AUTHORITY, authorization_endpoint: `${issuerHost}/oauth2/authorize`, token_endpoint: `${issuerHost}/oauth2/token`, jwks_uri: `${AUTHORITY}/.well-known/jwks.json`,
    })));
    expect(await rejection(app.auth.signIn())).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('domain') });
    expect(app.navigations).toEqual([]);
  });

  it.each([
    ['the issuer host', 'https://cognito-idp.us-east-1.amazonaws.com'],
    ['the issuer itself', AUTHORITY],
    ['a Multi-Region issuer host', 'https://issuer-cognito-idp.us-east-1.amazonaws.com'],
  ])('domain set to %s (OpenMetadata\'s docs call it the "Cognito Domain") is invalid_config at signIn(), which navigates nowhere', async (_, domain) => {
    const app = await makeApp({ domain });
    for (const start of [() => app.auth.signIn(), () => app.auth.signUp()]) {
      expect(await rejection(start())).toMatchObject({ code: 'invalid_config', message: expect.stringMatching(/domain.*amazoncognito\.com/) });
    }
    expect(app.navigations).toEqual([]);
  });

  it('a domain elsewhere on AWS (a proxy on API Gateway) or a custom one is used as it is', async () => {
    for (const domain of ['https://abc123.execute-api.us-east-1.amazonaws.com/prod', 'https://cognito-idp.example.com']) {
      const app = await makeApp({ domain });
      await app.auth.signIn();
      expect(app.navigations.at(-1)).toMatch(`${domain}/oauth2/authorize?`);
    }
  });
});
