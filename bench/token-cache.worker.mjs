// Child process of token-cache.mjs: calls per second of reading a cached access token in Node,
// this SDK's getAccessToken() against oidc-client-ts's UserManager.getUser(), measured the
// same way in the same process. Prints one JSON object on stdout.
//
// Node setup: nothing a browser has is defined. The SDK gets a StorageLike object holding a
// signed-in session (the `storage` option) and a `navigate` function (instead of
// location.assign); oidc-client-ts gets an InMemoryWebStorage userStore holding the same
// tokens. `fetch` is replaced by a stub that counts calls and fails, to show neither reads the
// network. While each client is set up and first used, its reads of the browser globals it may
// look for (window, document, location, sessionStorage, localStorage, navigator, ...; none is
// defined) and of Node's own web globals (BroadcastChannel, crypto, atob, ...) are recorded.
import { generateKeyPairSync } from 'node:crypto';
import { pathToFileURL } from 'node:url';

import { SignJWT } from 'jose';
import { InMemoryWebStorage, User, UserManager, WebStorageStateStore } from 'oidc-client-ts';

import { sdkEntry } from './bundle.mjs';

const WARMUP_MS = Number(process.env.BENCH_TOKEN_WARMUP_MS ?? 500);
const ROUND_MS = Number(process.env.BENCH_TOKEN_ROUND_MS ?? 500);
const ROUNDS = Number(process.env.BENCH_TOKEN_ROUNDS ?? 7);
const BATCH = 1000;

const AUTHORITY = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE';
const DOMAIN = 'https://example.auth.us-east-1.amazoncognito.com';
const CLIENT_ID = 'exampleclientid';
const CALLBACK = 'https://app.example.com/callback';

// ---------------------------------------------------------------------------
// Globals: no network, and a record of which browser globals each client reads.

const fetchCalls = { count: 0 };
globalThis.fetch = async () => {
  fetchCalls.count++;
  throw new Error('no network in this benchmark');
};

const BROWSER_GLOBALS = ['window', 'self', 'document', 'location', 'history', 'sessionStorage', 'localStorage', 'navigator', 'addEventListener', 'removeEventListener'];
/** Globals Node has that a client may use; recorded too, and left working. */
const NODE_GLOBALS = ['BroadcastChannel', 'crypto', 'atob', 'btoa', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'AbortController', 'setTimeout', 'setInterval', 'queueMicrotask', 'structuredClone'];
const reads = { browser: new Set(), node: new Set() };
const trapped = [];
const trap = () => {
  for (const name of BROWSER_GLOBALS) {
    if (name in globalThis) continue; // Node 21+ has navigator: leave it
    trapped.push([name, undefined]);
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        reads.browser.add(name);
        return undefined;
      },
    });
  }
  for (const name of NODE_GLOBALS) {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
    if (!descriptor?.configurable) continue;
    const value = globalThis[name];
    trapped.push([name, descriptor]);
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        reads.node.add(name);
        return value;
      },
    });
  }
};
const untrap = () => {
  for (const [name, descriptor] of trapped.splice(0)) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete globalThis[name];
  }
};
const takeReads = () => {
  const taken = { browser: [...reads.browser].sort(), node: [...reads.node].sort() };
  reads.browser.clear();
  reads.node.clear();
  return taken;
};

// ---------------------------------------------------------------------------
// One signed-in session, as Cognito would issue it (RS256, realistic claims and sizes).

const now = Math.floor(Date.now() / 1000);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const sub = '8f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const common = { sub, iss: AUTHORITY, auth_time: now, iat: now, exp: now + 3600, origin_jti: crypto.randomUUID(), event_id: crypto.randomUUID(), jti: crypto.randomUUID() };
const sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'bench-key' }).sign(privateKey);
const idClaims = {
  ...common,
  aud: CLIENT_ID,
  token_use: 'id',
  'cognito:username': 'alice',
  'cognito:groups': ['admins'],
  email: 'alice@example.com',
  email_verified: true,
  name: 'Alice Admin',
  nonce: 'n-0S6_WzA2Mj',
  at_hash: 'bench-at-hash',
};
const idToken = await sign(idClaims);
const accessToken = await sign({
  ...common,
  client_id: CLIENT_ID,
  token_use: 'access',
  scope: 'openid email profile',
  username: 'alice',
  'cognito:groups': ['admins'],
  version: 2,
});
const refreshToken = `eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.${Buffer.from(crypto.getRandomValues(new Uint8Array(1200))).toString('base64url')}`;

// ---------------------------------------------------------------------------
// The two clients.

async function setUpOurs() {
  const { createCognitoAuth } = await import(pathToFileURL(sdkEntry).href);
  const items = new Map();
  const storage = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
  // The session record as the SDK stores it after a sign-in (the SDK's storage format, v1).
  storage.setItem(`cognito-spa-auth.${CLIENT_ID}.v1.session`, JSON.stringify({
    v: 1, clientId: CLIENT_ID, iss: AUTHORITY, sub, authTime: now,
    idToken, accessToken, refreshToken, expiresAt: now + 3600, updatedAt: Date.now(),
  }));
  const navigations = [];
  const auth = createCognitoAuth({
    authority: AUTHORITY,
    clientId: CLIENT_ID,
    callbackUrl: CALLBACK,
    domain: DOMAIN,
    storage,
    navigate: (url) => navigations.push(url),
    silentRenew: false,
  });
  const state = await auth.init();
  if (state.status !== 'authenticated') throw new Error(`cognito-spa-auth did not restore the session: ${state.status} ${state.error ?? ''}`);
  return { call: () => auth.getAccessToken(), check: (token) => token === accessToken, stop: () => auth.destroy() };
}

async function setUpOidc() {
  const userManager = new UserManager({
    authority: AUTHORITY,
    client_id: CLIENT_ID,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid email profile',
    automaticSilentRenew: false,
    loadUserInfo: false,
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
  });
  await userManager.storeUser(new User({
    id_token: idToken,
    session_state: null,
    access_token: accessToken,
    refresh_token: refreshToken,
    token_type: 'Bearer',
    scope: 'openid email profile',
    profile: idClaims,
    expires_at: now + 3600,
  }));
  return {
    call: async () => (await userManager.getUser())?.access_token,
    check: (token) => token === accessToken,
    stop: () => userManager.events.unload(),
  };
}

// ---------------------------------------------------------------------------
// Measuring

/** Calls per second of `call`, awaited one after the other, over at least `ms`. */
async function rate(client, ms) {
  let calls = 0;
  let last;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < BATCH; i++) last = await client.call();
    calls += BATCH;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  if (!client.check(last)) throw new Error('the call did not return the cached access token');
  return (calls * 1000) / elapsed;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

trap();
const ours = await setUpOurs();
for (let i = 0; i < 10; i++) if (!ours.check(await ours.call())) throw new Error('cognito-spa-auth: wrong token');
const oursGlobals = takeReads();
const oursFetches = fetchCalls.count;
const oidc = await setUpOidc();
for (let i = 0; i < 10; i++) if (!oidc.check(await oidc.call())) throw new Error('oidc-client-ts: wrong token');
const oidcGlobals = takeReads();
const oidcFetches = fetchCalls.count - oursFetches;
untrap();

const clients = [['cognito-spa-auth', ours], ['oidc-client-ts', oidc]];
for (const [, client] of clients) await rate(client, WARMUP_MS);
const rounds = { 'cognito-spa-auth': [], 'oidc-client-ts': [] };
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which goes first, so neither always runs right after the other's garbage.
  const order = round % 2 ? [...clients].reverse() : clients;
  for (const [id, client] of order) rounds[id].push(await rate(client, ROUND_MS));
}
const fetchesDuring = fetchCalls.count - oursFetches - oidcFetches;
for (const [, client] of clients) client.stop();

process.stdout.write(`${JSON.stringify({
  node: process.version,
  settings: { warmupMs: WARMUP_MS, roundMs: ROUND_MS, rounds: ROUNDS },
  tokenBytes: { id: idToken.length, access: accessToken.length, refresh: refreshToken.length },
  results: {
    'cognito-spa-auth': { median: median(rounds['cognito-spa-auth']), rounds: rounds['cognito-spa-auth'], globalsRead: oursGlobals, fetches: oursFetches },
    'oidc-client-ts': { median: median(rounds['oidc-client-ts']), rounds: rounds['oidc-client-ts'], globalsRead: oidcGlobals, fetches: oidcFetches },
  },
  fetchesDuring,
})}\n`);
process.exit(0);
