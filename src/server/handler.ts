import { createEndpoints } from '../endpoints.js';
import { AuthError } from '../errors.js';
import { createKeyStore } from '../keys.js';
import type { Internals } from '../internals.js';
import { logoutUrl } from '../signout.js';
import { fetchUserInfo } from '../userinfo.js';
import { readJsonBody } from './body.js';
import { refreshRecord, revokeToken } from './cognito.js';
import { normalizeBffConfig } from './config.js';
import { crossSiteRefusal, foreignChange } from './csrf.js';
import { createFlows } from './flows.js';
import { createNotices } from './notice.js';
import { findRoute, forward, upstreamUrl } from './proxy.js';
import { asAuthError, errorJson, json, refuse } from './responses.js';
import { createSealer } from './seal.js';
import { createSessions } from './session.js';
import { createTransactions } from './transactions.js';
import type { CognitoBff, CognitoBffConfig } from './types.js';

async function readReturnTo(req: Request, timeoutMs: number): Promise<string | undefined> {
  const { returnTo } = await readJsonBody(req, timeoutMs);
  if (returnTo !== undefined && typeof returnTo !== 'string') throw new AuthError('invalid_config', 'signOut.returnTo: a URL is expected');
  return returnTo;
}

/**
 * Create the backend-for-frontend of a confidential Cognito app client: the sign-in runs on the
 * server, the tokens stay there, and the browser holds an HttpOnly session cookie. Validates the
 * config synchronously (`AuthError('invalid_config')`).
 *
 * @example
 * const bff = createCognitoBff({ authority, clientId, clientSecret, domain,
 *   callbackUrl: 'https://app.example.com/callback', cookieSecret: process.env.COOKIE_SECRET,
 *   proxy: { '/api': 'https://api.example.com' } });
 * http.createServer(toNodeHandler(bff, serveTheApp)).listen(3000);
 */
export function createCognitoBff(config: CognitoBffConfig): CognitoBff {
  const s = normalizeBffConfig(config);
  const { cfg } = s;
  const warn = (msg: string, cause?: unknown): void => {
    if (cfg.debug) console.warn(`[cognito-spa-auth/server] ${msg}`, cause ?? '');
  };
  const endpoints = createEndpoints(cfg);
  const keys = createKeyStore(cfg.publicKeyUrls, cfg.timeout, warn);
  const sealer = createSealer(s.cookieSecrets);
  const sessions = createSessions(s, { sealer, warn, grant: async (base) => refreshRecord(s, await endpoints(), keys, base) });
  const notices = createNotices(s, sealer);
  const flows = createFlows({ s, endpoints, keys, sessions, notices, warn, txs: createTransactions(s, sealer) });

  /**
   * `{ user, exposeAccessToken }`, once after the callback with `signedIn: true, returnTo, appState?`;
   * `{ user: null, error }` once after a failed sign-in
   * (the error the browser client's init() shows); 401 when signed out.
   */
  async function session(req: Request): Promise<Response> {
    const { notice, untied, setCookies: cleared } = await notices.take(req);
    if (notice && !untied) return json(200, { user: null, error: notice }, cleared);
    const c = await sessions.current(req);
    // A callback tied to no sign-in of this browser (another site's link) changes nothing while signed in.
    if (notice && !c.user) return json(200, { user: null, error: notice }, [...cleared, ...c.setCookies]);
    if (!c.user || !c.stored) return errorJson(c.error ?? new AuthError('login_required', 'not signed in'), [...cleared, ...c.setCookies], c.signedOut);
    const setCookies = await sessions.announced(req, c);
    return json(200, { user: c.user, ...(c.stored.n ? { signedIn: true, ...c.stored.n } : {}), exposeAccessToken: s.exposeAccessToken }, [...cleared, ...setCookies]);
  }

  async function token(req: Request, url: URL): Promise<Response> {
    const c = await sessions.current(req, url.searchParams.get('forceRefresh') === '1');
    if (!c.stored) return errorJson(c.error ?? new AuthError('login_required', 'not signed in'), c.setCookies, c.signedOut);
    return json(200, { accessToken: c.stored.r.accessToken, expiresAt: c.stored.r.expiresAt }, c.setCookies);
  }

  /**
   * `GET {basePath}/userinfo`: Cognito's `/oauth2/userInfo` for the session, by the browser SDK's
   * own `fetchUserInfo`, given the parts of the client's internals it uses (config, endpoints,
   * session, token) over this request's session.
   */
  async function userInfo(req: Request): Promise<Response> {
    let c = await sessions.current(req);
    if (!c.stored) return errorJson(c.error ?? new AuthError('login_required', 'not signed in'), c.setCookies, c.signedOut);
    const internals: Pick<Internals, 'cfg' | 'endpoints' | 'session' | 'token'> = {
      cfg,
      endpoints,
      session: () => c.stored?.r ?? null,
      async token(_kind, force) {
        if (force) {
          const renewed = await sessions.current(req, true); // the token was refused before its expiry
          if (!renewed.stored) throw renewed.error ?? new AuthError('login_required', 'signed out meanwhile');
          c = renewed;
        }
        return (c.stored as NonNullable<typeof c.stored>).r.accessToken;
      },
    };
    try {
      return json(200, await fetchUserInfo(internals as Internals), c.setCookies);
    } catch (e) {
      return errorJson(asAuthError(e, 'userInfo'), c.setCookies);
    }
  }

  async function logout(req: Request): Promise<Response> {
    let target: string;
    try {
      target = logoutUrl(cfg, await endpoints(), await readReturnTo(req, cfg.timeout));
    } catch (e) {
      const err = asAuthError(e, 'sign-out');
      // Cognito unreachable: still end the session here.
      return errorJson(err, err.code === 'network_error' ? (await sessions.end(req)).setCookies : []);
    }
    const { record, setCookies } = await sessions.end(req);
    if (record?.refreshToken) await revokeToken(s, await endpoints(), record.refreshToken, warn); // best effort
    return json(200, { url: target }, setCookies);
  }

  async function proxy(req: Request, url: URL, route: (typeof s.proxy)[number]): Promise<Response> {
    const target = upstreamUrl(route, url);
    if (!target) return refuse(404, 'path_refused', 'this path could leave the proxied API');
    const c = await sessions.current(req);
    if (!c.stored) return errorJson(c.error ?? new AuthError('login_required', 'not signed in'), c.setCookies, c.signedOut);
    let res: Response;
    try {
      res = await forward(req, target, c.stored.r.accessToken);
    } catch (e) {
      warn(`the proxied request to ${target.origin} failed`, e);
      return json(502, { code: 'network_error', message: 'the API could not be reached' }, c.setCookies);
    }
    for (const cookie of c.setCookies) res.headers.append('Set-Cookie', cookie);
    return res;
  }

  /** A route of the BFF (not the callback): method, then the cross-site checks, then the answer. */
  function guarded(req: Request, method: string, answer: () => Promise<Response>): Promise<Response> {
    if (req.method !== method) return Promise.resolve(refuse(405, 'method_not_allowed', `use ${method}`, method));
    const why = crossSiteRefusal(req, s.origin);
    return why ? Promise.resolve(refuse(403, 'cross_site_refused', why)) : answer();
  }

  async function route(req: Request): Promise<Response | null> {
    const url = new URL(req.url);
    const path = url.pathname;
    if (path === s.callbackPath) {
      return req.method === 'GET' ? flows.callback(req, url) : refuse(405, 'method_not_allowed', 'use GET', 'GET');
    }
    if (path === s.basePath || path.startsWith(`${s.basePath}/`)) {
      switch (path.slice(s.basePath.length)) {
        case '/login':
          return req.method === 'GET' ? flows.login(req, url) : refuse(405, 'method_not_allowed', 'use GET', 'GET');
        case '/session':
          return guarded(req, 'GET', () => session(req));
        case '/logout':
          return guarded(req, 'POST', () => logout(req));
        case '/userinfo':
          return guarded(req, 'GET', () => userInfo(req));
        case '/switch':
          return guarded(req, 'POST', () => flows.switchAccount(req));
        case '/token':
          return guarded(req, 'GET', async () =>
            s.exposeAccessToken
              ? token(req, url)
              : errorJson(new AuthError('unsupported', 'the access token stays on the server (exposeAccessToken is off): call APIs through the proxy with auth.fetch()'))
          );
      }
      return refuse(404, 'not_found', 'no such BFF route');
    }
    const r = findRoute(s.proxy, path);
    if (!r) return null;
    // No CORS: a preflight, which only a page of another origin sends, gets no approval.
    if (req.method === 'OPTIONS') return refuse(405, 'method_not_allowed', 'no CORS: same-origin requests only');
    return guarded(req, req.method, () => proxy(req, url, r));
  }

  return {
    async handler(req) {
      try {
        return await route(req);
      } catch (e) {
        warn(`${req.method} ${new URL(req.url).pathname} failed`, e);
        return errorJson(asAuthError(e, 'the request'));
      }
    },
    async getSession(req) {
      if (foreignChange(req, s.origin)) return null;
      const c = await sessions.current(req);
      if (!c.user || !c.stored) {
        if (c.error && !c.setCookies.length && c.error.code === 'network_error') throw c.error; // a fault, not a sign-out
        return null;
      }
      const { r } = c.stored;
      return { user: c.user, accessToken: r.accessToken, idToken: r.idToken, expiresAt: r.expiresAt, setCookies: c.setCookies };
    },
  };
}
