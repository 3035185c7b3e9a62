/**
 * Network faults at each of Cognito's endpoints: each gives its typed error (`network_error`
 * when the document could not be had, `token_request_failed` when the token endpoint answered
 * something that is not tokens), nothing is stored, and a retry works once the fault is gone.
 */
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { AuthError, type AuthEventMap } from '../../src/index.js';
import { AUTHORITY, DOMAIN } from '../support/cognito.js';
import { server } from '../support/setup.js';
import { HOME, SESSION_KEY, keysOf, makeApp, rejection, rotateKeys, type App } from './harness.js';

const JWKS = `${AUTHORITY}/.well-known/jwks.json`;
const DISCOVERY = `${AUTHORITY}/.well-known/openid-configuration`;
const TOKEN = `${DOMAIN}/oauth2/token`;
const TIMEOUT_MS = 300;

type Reply = () => Response | Promise<Response>;
/** Put a fault in front of Cognito's handler for `url`; `off()` lets requests through again. */
function fault(method: 'get' | 'post', url: string, reply: Reply) {
  const f = { on: true, hits: 0, off: () => void (f.on = false) };
  server.use(
    http[method](url, async () => {
      if (!f.on) return undefined; // fall through to the pool
      f.hits++;
      return reply();
    }),
  );
  return f;
}

const hang: Reply = async () => {
  await delay('infinite');
  return HttpResponse.json({});
};

/** Faults of a JSON document (JWKS, discovery): all are network_error. */
const DOCUMENT_FAULTS: Array<[string, Reply, number | undefined]> = [
  ['a 500', () => new HttpResponse('internal error', { status: 500 }), 500],
  ['a 503 HTML page', () => HttpResponse.html('<h1>Service Unavailable</h1>', { status: 503 }), 503],
  ['a timeout (requestTimeout)', hang, undefined],
  ['malformed JSON', () => new HttpResponse('{"keys": [{"kty": "RSA",', { headers: { 'Content-Type': 'application/json' } }), 200],
  ['an HTML page with 200 (wrong content type)', () => HttpResponse.html('<html><body>Sign in to the Wi-Fi</body></html>'), 200],
  ['a JSON array', () => HttpResponse.json([]), 200],
  ['a connection failure', () => HttpResponse.error(), undefined],
];

/** Faults of the token endpoint, and the error each one is. */
const TOKEN_FAULTS: Array<[string, Reply, string, number | undefined]> = [
  ['200 without tokens', () => HttpResponse.json({ token_type: 'Bearer', expires_in: 3600 }), 'token_request_failed', undefined],
  ['200 with an id_token only', () => HttpResponse.json({ id_token: 'x.y.z', token_type: 'Bearer' }), 'token_request_failed', undefined],
  ['200 with empty tokens', () => HttpResponse.json({ id_token: '', access_token: '' }), 'token_request_failed', undefined],
  ['200 with tokens that are not strings', () => HttpResponse.json({ id_token: 1, access_token: { a: 1 } }), 'token_request_failed', undefined],
  ['an HTML 502 from a proxy', () => HttpResponse.html('<html><body>502 Bad Gateway</body></html>', { status: 502 }), 'token_request_failed', 502],
  ['an HTML page with 200', () => HttpResponse.html('<html>maintenance</html>'), 'token_request_failed', 200],
  ['a 500 with an empty body', () => new HttpResponse(null, { status: 500 }), 'token_request_failed', 500],
  ['a timeout (requestTimeout)', hang, 'network_error', undefined],
  ['a connection failure', () => HttpResponse.error(), 'network_error', undefined],
];

function expectError(err: unknown, code: string, status?: number) {
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).code).toBe(code);
  if (status !== undefined) expect((err as AuthError).status).toBe(status);
}

/** Nothing stored: no session key, and a reload on a normal page is signed out. */
async function nothingStored(app: App) {
  expect(keysOf(sessionStorage).filter((k) => k.endsWith('.session'))).toEqual([]);
  window.happyDOM?.setURL(HOME);
  expect((await app.another().init()).status).toBe('unauthenticated');
}

/** A complete new sign-in on `app.auth` works. */
async function signsInAgain(app: App) {
  const { user } = await app.auth.handleCallback(await app.callbackUrl());
  expect(user.principal).toBe('alice');
  expect(app.auth.getState().status).toBe('authenticated');
  expect(sessionStorage.getItem(SESSION_KEY)).not.toBeNull();
}

/** Signed in, then reloaded: a client that restored the session from storage. */
async function reloaded(extra: Parameters<typeof makeApp>[0] = {}, fresh = false) {
  const app = await makeApp({ requestTimeout: TIMEOUT_MS, ...extra }, {}, fresh);
  await app.signInAs();
  window.happyDOM?.setURL(HOME);
  const client = app.another();
  expect((await client.init()).status).toBe('authenticated');
  const events: Array<[string, unknown]> = [];
  for (const name of ['signedOut', 'tokensRenewed', 'renewFailed'] as const) client.on(name, (p) => events.push([name, p]));
  return { app, client, events, stored: sessionStorage.getItem(SESSION_KEY) as string };
}

/** Reloaded, and the pool has rotated its keys since: the next renew must fetch the key sets. */
async function reloadedAfterRotation() {
  const r = await reloaded({}, true);
  await rotateKeys(r.app.cognito);
  return r;
}

describe('JWKS faults at the callback', () => {
  it.each(DOCUMENT_FAULTS)('%s: network_error, nothing stored, a new sign-in works once it is over', async (_n, reply, status) => {
    const app = await makeApp({ requestTimeout: TIMEOUT_MS });
    const f = fault('get', JWKS, reply);
    const err = await rejection(app.auth.handleCallback(await app.callbackUrl()));
    expectError(err, 'network_error', status);
    expect(f.hits).toBeGreaterThanOrEqual(1);
    expect(app.auth.getState()).toMatchObject({ status: 'error', user: null, error: err });
    await nothingStored(app);
    f.off();
    await signsInAgain(app);
  });

  it('a JSON object that is not a key set (no keys array) is network_error, not a token refusal', async () => {
    const app = await makeApp();
    const f = fault('get', JWKS, () => HttpResponse.json({ message: 'Forbidden' }));
    expectError(await rejection(app.auth.handleCallback(await app.callbackUrl())), 'network_error');
    await nothingStored(app);
    f.off();
    await signsInAgain(app);
  });
});

describe('JWKS faults while renewing (the pool rotated its keys: the renew must fetch them)', () => {
  it.each(DOCUMENT_FAULTS)('%s: network_error, the session and its stored tokens are kept; the next renew works', async (_n, reply, status) => {
    const { client, events, stored } = await reloadedAfterRotation();
    const f = fault('get', JWKS, reply);
    expectError(await rejection(client.getAccessToken({ forceRefresh: true })), 'network_error', status);
    expect(f.hits).toBeGreaterThanOrEqual(1);
    expect(client.getState().status).toBe('authenticated');
    expect(sessionStorage.getItem(SESSION_KEY)).toBe(stored);
    expect(events.map(([n]) => n)).toEqual(['renewFailed']);
    expect((events[0]?.[1] as AuthEventMap['renewFailed']).willRetry).toBe(true);
    f.off();
    const token = await client.getAccessToken({ forceRefresh: true });
    expect(token).not.toBe(JSON.parse(stored).accessToken);
    expect(JSON.parse(sessionStorage.getItem(SESSION_KEY) as string).accessToken).toBe(token);
  });

  it('a JSON object that is not a key set keeps the session (a transient fault, not a forged token)', async () => {
    const { client, stored } = await reloadedAfterRotation();
    const f = fault('get', JWKS, () => HttpResponse.json({}));
    expectError(await rejection(client.getAccessToken({ forceRefresh: true })), 'network_error');
    expect(client.getState().status).toBe('authenticated');
    expect(sessionStorage.getItem(SESSION_KEY)).toBe(stored);
    f.off();
    await expect(client.getAccessToken({ forceRefresh: true })).resolves.toMatch(/\./);
  });
});

describe('discovery faults (a config without domain)', () => {
  it.each(DOCUMENT_FAULTS)('%s at signIn(): network_error, no navigation, no transaction; signIn() works once it is over', async (_n, reply, status) => {
    const app = await makeApp({ domain: undefined, requestTimeout: TIMEOUT_MS });
    const f = fault('get', DISCOVERY, reply);
    expectError(await rejection(app.auth.signIn()), 'network_error', status);
    expect(app.navigations).toEqual([]);
    expect(keysOf(sessionStorage)).toEqual([]);
    f.off();
    await signsInAgain(app);
    expect(app.navigations[0]).toMatch(/^https:\/\/test-app\.auth\.us-east-1\.amazoncognito\.com\/oauth2\/authorize\?/);
    expect(app.cognito.pool.counts.discovery).toBe(1);
  });

  it.each(DOCUMENT_FAULTS)('%s at the callback of a reloaded page: network_error, nothing stored; a new sign-in works', async (_n, reply, status) => {
    const app = await makeApp({ domain: undefined, requestTimeout: TIMEOUT_MS });
    const url = await app.callbackUrl();
    const page = app.another(); // the page Cognito redirected to: a new client, no endpoints yet
    const f = fault('get', DISCOVERY, reply);
    expectError(await rejection(page.handleCallback(url)), 'network_error', status);
    expect(app.cognito.pool.counts.token).toBe(0);
    await nothingStored(app);
    f.off();
    const { user } = await page.handleCallback(await app.callbackUrl(page));
    expect(user.principal).toBe('alice');
  });
});

describe('token endpoint faults at the callback', () => {
  it.each(TOKEN_FAULTS)('%s: %s, nothing stored, a new sign-in works once it is over', async (_n, reply, code, status) => {
    const app = await makeApp({ requestTimeout: TIMEOUT_MS });
    const f = fault('post', TOKEN, reply);
    const err = await rejection(app.auth.handleCallback(await app.callbackUrl()));
    expectError(err, code, status);
    expect(f.hits).toBe(1);
    expect(app.auth.getState()).toMatchObject({ status: 'error', user: null });
    await nothingStored(app);
    f.off();
    await signsInAgain(app);
  });
});

describe('token endpoint faults while renewing', () => {
  it.each(TOKEN_FAULTS)('%s: %s, the session and its stored tokens are kept; the next renew works', async (_n, reply, code, status) => {
    const { client, events, stored } = await reloaded();
    const f = fault('post', TOKEN, reply);
    expectError(await rejection(client.getAccessToken({ forceRefresh: true })), code, status);
    expect(client.getState().status).toBe('authenticated');
    expect(sessionStorage.getItem(SESSION_KEY)).toBe(stored);
    expect(events.map(([n]) => n)).toEqual(['renewFailed']);
    expect(await client.getAccessToken()).toBe(JSON.parse(stored).accessToken); // still valid: still served
    f.off();
    const token = await client.getAccessToken({ forceRefresh: true });
    expect(token).not.toBe(JSON.parse(stored).accessToken);
  });
});

describe('redirects from Cognito endpoints are never followed', () => {
  /** A host that collects what a followed redirect would carry (a code, a refresh token). */
  function trap() {
    const seen: string[] = [];
    server.use(http.all('https://collector.example/*', async ({ request }) => {
      seen.push(`${request.method} ${await request.text()}`);
      return HttpResponse.json({ keys: [], id_token: 'x', access_token: 'y' });
    }));
    return seen;
  }
  const redirect = (status: number) => () => new HttpResponse(null, { status, headers: { Location: 'https://collector.example/steal' } });

  it.each([301, 302, 303, 307, 308])('a %i from the token endpoint at the callback: network_error, the code goes nowhere else', async (status) => {
    const app = await makeApp({ requestTimeout: TIMEOUT_MS });
    const seen = trap();
    fault('post', TOKEN, redirect(status));
    expectError(await rejection(app.auth.handleCallback(await app.callbackUrl())), 'network_error');
    expect(seen).toEqual([]);
    await nothingStored(app);
  });

  it.each([302, 307, 308])('a %i from the token endpoint on renew: network_error, the refresh token goes nowhere else, the session stays', async (status) => {
    const { client, stored } = await reloaded();
    const seen = trap();
    fault('post', TOKEN, redirect(status));
    expectError(await rejection(client.getAccessToken({ forceRefresh: true })), 'network_error');
    expect(seen).toEqual([]);
    expect(sessionStorage.getItem(SESSION_KEY)).toBe(stored);
  });

  it('a redirect from the key set URL is not followed: network_error', async () => {
    const app = await makeApp({ requestTimeout: TIMEOUT_MS });
    const seen = trap();
    fault('get', JWKS, redirect(302));
    expectError(await rejection(app.auth.handleCallback(await app.callbackUrl())), 'network_error');
    expect(seen).toEqual([]);
  });
});
