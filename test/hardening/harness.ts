/**
 * Shared helpers of the hardening suites. A pool's RSA keys are the slow part of a test, so a
 * pool is made once per file and options and reset before each use (`fresh` for a test that
 * changes the pool's keys).
 */
import { createCognitoAuth, type CognitoAuth, type CognitoAuthConfig, type StorageLike } from '../../src/index.js';
import { baseConfig } from '../support/app.js';
import { ALICE, AUTHORITY, CALLBACK, CLIENT_ID, createCognito, makeKey, type CognitoMock, type SigningKey, type UserProfile } from '../support/cognito.js';
import { cleanups, server } from '../support/setup.js';

export const HOME = 'https://app.example.com/';
export const SESSION_KEY = `cognito-spa-auth.${CLIENT_ID}.v1.session`;
export const OWN_PREFIX = `cognito-spa-auth.${CLIENT_ID}.`;

type PoolOptions = NonNullable<Parameters<typeof createCognito>[0]>;
const pools = new Map<string, Promise<CognitoMock>>();

/** A Cognito pool behind msw, as new: no codes, no refresh tokens, no tampering, counts at 0. */
export async function usePool(opts: PoolOptions = {}, fresh = false): Promise<CognitoMock> {
  const key = JSON.stringify(opts);
  let made = fresh ? undefined : pools.get(key);
  if (!made) {
    made = createCognito(opts);
    if (!fresh) pools.set(key, made);
  }
  const c = await made;
  const p = c.pool;
  p.keys = [c.idKey, c.accessKey];
  p.codes.clear();
  p.refresh.clear();
  p.counts = { token: 0, refresh: 0, jwks: 0, discovery: 0, revoke: 0 };
  p.lifetime = opts.lifetime ?? 3600;
  p.rotate = opts.rotate ?? false;
  p.idLifetime = null;
  p.moveAuthTimeOnRefresh = false;
  p.issuer = AUTHORITY;
  p.browserAhead = 0;
  p.issueRefresh = true;
  p.tamper = {};
  p.nextTokenReply = null;
  p.tokenReplies = [];
  p.callbackUrls = [CALLBACK];
  server.use(...c.handlers);
  return c;
}

let nextKeys: Promise<[SigningKey, SigningKey]> | null = null;
/**
 * The pool rotates its keys: it publishes new ones (dropping the old unless `keep`) and signs
 * every token from now on with them. Only on a pool made with `fresh`: its keys are changed in place.
 */
export async function rotateKeys(c: CognitoMock, keep = false): Promise<void> {
  const [id, access] = await (nextKeys ??= Promise.all([makeKey('id-key-2'), makeKey('access-key-2')]));
  const old = [{ ...c.idKey }, { ...c.accessKey }];
  Object.assign(c.idKey, id);
  Object.assign(c.accessKey, access);
  c.pool.keys = keep ? [c.idKey, c.accessKey, ...old] : [c.idKey, c.accessKey];
}

export interface App {
  auth: CognitoAuth;
  cognito: CognitoMock;
  navigations: string[];
  /** Another client on the same page (a reload, or a tab sharing storage). */
  another(more?: Partial<CognitoAuthConfig>): CognitoAuth;
  /** signIn() on `client` and play the hosted UI: the callback URL Cognito would redirect to. */
  callbackUrl(client?: CognitoAuth, user?: UserProfile): Promise<string>;
  /** A complete sign-in on the app's client. */
  signInAs(user?: UserProfile): Promise<void>;
}

export async function makeApp(extra: Partial<CognitoAuthConfig> = {}, poolOpts: PoolOptions = {}, fresh = false): Promise<App> {
  const cognito = await usePool(poolOpts, fresh);
  // The app client allows the app's callback URL, as written (Cognito matches it exactly).
  if (extra.callbackUrl) cognito.pool.callbackUrls.push(extra.callbackUrl);
  const navigations: string[] = [];
  const make = (more: Partial<CognitoAuthConfig> = {}): CognitoAuth => {
    const client = createCognitoAuth({ ...baseConfig, navigate: (u) => void navigations.push(u), ...extra, ...more });
    cleanups.push(() => client.destroy());
    return client;
  };
  const auth = make();
  const app: App = {
    auth,
    cognito,
    navigations,
    another: make,
    async callbackUrl(client = auth, user = ALICE) {
      await client.signIn();
      return cognito.authorize(navigations.at(-1) as string, user);
    },
    async signInAs(user = ALICE) {
      await auth.handleCallback(await app.callbackUrl(auth, user));
    },
  };
  return app;
}

/** A Map-backed StorageLike that records every write, listable like the browser's. */
export function recordingStorage() {
  const m = new Map<string, string>();
  const writes: Array<[string, string]> = [];
  const storage: StorageLike & { length: number } = {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => {
      writes.push([k, v]);
      m.set(k, String(v));
    },
    removeItem: (k) => void m.delete(k),
    get length() {
      return m.size;
    },
    key: (i) => [...m.keys()][i] ?? null,
  };
  return { storage, map: m, writes };
}

/** Every key of a browser Storage. */
export const keysOf = (s: Storage): string[] => Array.from({ length: s.length }, (_, i) => s.key(i) as string);

/** The rejection of `p`, or a failure when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, got a result');
}
