// Handler-level tests of the BFF: a tiny browser with two cookie jars, one for the app (requests
// go straight to bff.handler) and one for the local user pool (real HTTP, manual redirects).
import { expect } from 'vitest';

import { startIdp, type IdpOptions, type LocalIdp } from '../../demo/idp/server.mjs';
import { createCognitoBff, type CognitoBff, type CognitoBffConfig } from '../../src/server/index.js';
import { Browser as IdpBrowser, location } from '../idp/harness.js';

export const APP = 'http://127.0.0.1:5998';
export const CALLBACK = `${APP}/callback`;
export const COOKIE_SECRET = 'test-cookie-secret-0123456789-abcdefghij';
export const SAME_ORIGIN = { 'x-csrf': '1', 'sec-fetch-site': 'same-origin' };

export function startPool(options: IdpOptions = {}): Promise<LocalIdp> {
  return startIdp({ redirectUris: [CALLBACK], logoutUris: [`${APP}/`], ...options });
}

/** The BFF of the pool's confidential client (basic unless `which` says post). */
export function bffFor(idp: LocalIdp, extra: Partial<CognitoBffConfig> = {}, which: 'client_secret_basic' | 'client_secret_post' = 'client_secret_basic'): CognitoBff {
  const client = idp.confidentialClients.find((c) => c.method === which);
  if (!client) throw new Error(`the pool has no ${which} client`);
  return createCognitoBff({
    authority: idp.issuer,
    domain: idp.domain,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    clientAuthenticationMethod: which,
    callbackUrl: CALLBACK,
    cookieSecret: COOKIE_SECRET,
    jwtPrincipalClaimsMapping: ['username:cognito:username', 'email:email'],
    adminPrincipals: ['alice'],
    ...extra,
  });
}

/**
 * A browser of the app: a cookie jar over `bff.handler` (or over real HTTP to `server`), and a jar
 * for the pool's hosted UI.
 */
export class AppBrowser {
  readonly jar = new Map<string, string>();
  readonly idp = new IdpBrowser();

  constructor(
    public bff: CognitoBff,
    readonly server?: string,
  ) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keep(res: Response): void {
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0(;|$)/i.test(cookie) || !value) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  /** A request to the app (path or URL on APP); null answers (not a BFF route) become 404. */
  async fetch(path: string, init: RequestInit = {}, bff: CognitoBff = this.bff): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    const res = this.server
      ? await fetch(new URL(path, this.server), { ...init, headers, redirect: 'manual' })
      : ((await bff.handler(new Request(new URL(path, APP), { ...init, headers }))) ?? new Response(null, { status: 404 }));
    this.keep(res);
    return res;
  }

  /** A same-origin fetch() of the app's page scripts (X-CSRF, Sec-Fetch-Site, Origin on non-GET). */
  call(path: string, init: RequestInit = {}, bff?: CognitoBff): Promise<Response> {
    const headers = new Headers({ ...SAME_ORIGIN, ...Object.fromEntries(new Headers(init.headers)) });
    if (init.method && init.method !== 'GET' && init.method !== 'HEAD' && !headers.has('origin')) headers.set('origin', this.server ?? APP);
    return this.fetch(path, { ...init, headers }, bff);
  }

  /** From `{basePath}/login` through the hosted UI's form to the callback URL (not yet requested). */
  async toCallback(login = '/auth/login', username = 'alice'): Promise<string> {
    const start = await this.fetch(login);
    expect(start.status).toBe(302);
    const authorize = location(start, APP);
    let res = await this.idp.fetch(authorize);
    const next = location(res, authorize);
    if (next.includes('/login/')) {
      res = await this.idp.post(next, { username, password: 'Password1!' });
      res = await this.idp.fetch(location(res, next));
    }
    expect(res.status).toBe(302);
    return location(res, authorize);
  }

  /** Sign in all the way; returns the callback's answer (a 303 to returnTo). */
  async signIn(login = '/auth/login', username = 'alice'): Promise<Response> {
    return this.fetch(await this.toCallback(login, username));
  }
}

/**
 * Sign in with tokens that are due for renewal by the time this returns (tokens of `lifetime`
 * seconds, 2 by default, are due in their second half); tokens issued afterwards live an hour.
 */
export async function signInDue(idp: LocalIdp, b: AppBrowser, login?: string, lifetime = 2): Promise<Response> {
  idp.setTokenLifetime(lifetime);
  let res: Response;
  try {
    res = await b.signIn(login);
  } finally {
    idp.setTokenLifetime(3600);
  }
  await new Promise((r) => setTimeout(r, lifetime * 500 + 100)); // renewed within half a lifetime this short
  return res;
}

export const body = async (res: Response): Promise<Record<string, unknown>> => (await res.json()) as Record<string, unknown>;

/** Token requests (code and refresh grants) the pool has answered. */
export function tokenRequests(idp: LocalIdp): number {
  return idp.clientAuth.filter((a) => a.path === '/oauth2/token').length;
}
