/**
 * The navigations of a sign-in: `GET {basePath}/login` (to Cognito) and the callback (from
 * Cognito, back to the app's `returnTo`). A failure goes back too, with its error in a notice
 * cookie that the page's next `{basePath}/session` reports (the browser client's `init()` turns
 * it into an AuthError).
 */
import type { Endpoints } from '../config.js';
import { AuthError } from '../errors.js';
import { decodeClaims } from '../jwt.js';
import type { KeyStore } from '../keys.js';
import { sameOriginPath } from '../return-to.js';
import { buildSignIn } from '../signin.js';
import type { SignInOptions } from '../types.js';
import { toUser } from '../user.js';
import { readJsonBody } from './body.js';
import { redeemCode, revokeToken } from './cognito.js';
import type { BffSettings } from './config.js';
import type { createNotices } from './notice.js';
import { asAuthError, errorJson, json, redirect } from './responses.js';
import type { createSessions } from './session.js';
import type { createTransactions } from './transactions.js';

/** The query parameters of `{basePath}/login`: the options of `signIn()`, and `screen`. */
const TEXT_OPTIONS = ['returnTo', 'prompt', 'identityProvider', 'idpIdentifier', 'loginHint', 'lang', 'scopes', 'screen'] as const;
/**
 * Cognito's pages beside `/oauth2/authorize` that take its parameters and finish at the callback
 * like a sign-in (`signUp()`, `forgotPassword()`).
 */
const SCREENS: Record<string, string> = { signup: '/signup', forgotPassword: '/forgotPassword' };

/**
 * `signIn()`'s options from the login route's query: all of them as JSON in `options` (the browser
 * client sends them so), or each as a parameter of its own (a plain link: `?returnTo=/reports`),
 * `maxAge` a number and `appState` JSON.
 */
function loginOptions(q: URLSearchParams): Record<string, unknown> {
  const json = (name: string, text: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new AuthError('invalid_config', `signIn.${name}: JSON is expected`, { cause });
    }
  };
  if (q.has('options')) {
    const all = json('options', q.get('options') as string);
    if (!all || typeof all !== 'object' || Array.isArray(all)) throw new AuthError('invalid_config', 'signIn options: an object is expected');
    return all as Record<string, unknown>;
  }
  const options: Record<string, unknown> = {};
  for (const k of TEXT_OPTIONS) if (q.has(k)) options[k] = q.get(k);
  if (q.has('maxAge')) options.maxAge = Number(q.get('maxAge'));
  if (q.has('appState')) options.appState = json('appState', q.get('appState') as string);
  return options;
}

export interface FlowDeps {
  s: BffSettings;
  endpoints: () => Promise<Endpoints>;
  keys: KeyStore;
  sessions: ReturnType<typeof createSessions>;
  txs: ReturnType<typeof createTransactions>;
  notices: ReturnType<typeof createNotices>;
  warn(message: string, cause?: unknown): void;
}

export function createFlows({ s, endpoints, keys, sessions, txs, notices, warn }: FlowDeps) {
  /**
   * A 303 to an absolute URL on the app's origin, for a path the transaction kept: the origin is
   * written out, so no reading of the path (`//host`, `/\host`) can make it another site. An
   * error goes with it as a notice for the page.
   */
  async function back(path: string, error: AuthError | undefined, setCookies: string[], untied = false): Promise<Response> {
    const u = new URL(`${s.origin}${path.startsWith('/') ? path : '/'}`);
    return redirect(303, `${s.origin}${u.pathname}${u.search}${u.hash}`, error ? [...setCookies, await notices.put(error, untied)] : setCookies);
  }

  /**
   * A sign-in's transaction (kept in its cookie) and Cognito's URL for it: `/oauth2/authorize`, or
   * a page that takes the same parameters (`/signup`, `/forgotPassword`, `/logout`).
   */
  async function start(req: Request, options: Record<string, unknown>, page?: (e: Endpoints) => string): Promise<{ to: string; setCookies: string[] }> {
    const e = await endpoints();
    const { url: to, tx } = await buildSignIn(s.cfg, page ? { ...e, authorize: page(e) } : e, options as SignInOptions, `${s.origin}/`);
    return { to, setCookies: [...(await txs.put(req, { ...tx, replaces: await sessions.replaced(req) })), ...sessions.signingIn(req)] };
  }

  async function login(req: Request, url: URL): Promise<Response> {
    const site = req.headers.get('sec-fetch-site');
    const foreign = site === 'cross-site' || site === 'same-site';
    try {
      const { screen, ...options } = loginOptions(url.searchParams);
      // appState is what the app's own code asked to get back: a page of another site can send the
      // browser here too (Sec-Fetch-Site), and must not hand the app state of its choosing.
      if (options.appState !== undefined && foreign) {
        throw new AuthError('invalid_config', `signIn.appState: refused from a sign-in that a page of another origin started (Sec-Fetch-Site: ${site})`);
      }
      const path = screen === undefined ? undefined : SCREENS[screen as string];
      if (screen !== undefined && !path) throw new AuthError('invalid_config', `screen: one of ${Object.keys(SCREENS).join(', ')} is expected`);
      const { to, setCookies } = await start(req, options, path ? (e) => new URL(path, e.authorize).href : undefined);
      return redirect(302, to, setCookies);
    } catch (e) {
      // A bad option (returnTo of another origin, ...): back to the app, which shows why; unless it
      // is signed in and the link was another site's (the notice is then untied, see callback()).
      return back('/', asAuthError(e, 'starting the sign-in'), [], foreign);
    }
  }

  async function callback(req: Request, url: URL): Promise<Response> {
    const q = url.searchParams;
    const state = q.get('state');
    const error = q.get('error');
    const idpError = (): AuthError => {
      const description = q.get('error_description') ?? undefined;
      return new AuthError('idp_error', `Cognito answered ${error}${description ? `: ${description}` : ''}`, { error: error ?? undefined, errorDescription: description });
    };
    const { tx, setCookies: txCookies } = state ? await txs.take(req, state) : { tx: null, setCookies: [] };
    if (!tx) {
      // Nothing ties this callback to a sign-in of this browser: a replay (reload, back button), or
      // a link of another site. The page hears why (Cognito's error even without state: Cognito
      // sometimes sends it so), unless it is signed in: the notice is untied, and its session,
      // whose Strict cookie a navigation from another site doesn't carry here, outweighs it.
      const why = state
        ? new AuthError('state_mismatch', 'the callback state is unknown or was already used: start the sign-in again')
        : error !== null ? idpError() : new AuthError('state_mismatch', 'the callback has no state');
      return back('/', why, txCookies, true);
    }
    const returnTo = storedPath(tx.returnTo);
    if (error !== null) return back(returnTo, idpError(), txCookies);
    const code = q.get('code');
    if (!code) return back(returnTo, new AuthError('idp_error', 'the callback has neither a code nor an error', { error: 'invalid_request' }), txCookies);
    try {
      const record = await redeemCode(s, await endpoints(), keys, tx, code);
      toUser(decodeClaims(record.idToken) ?? {}, s.cfg, record.expiresAt, record.idExpiresAt); // the user rules: a refused user gets no session
      const created = await sessions.create(req, record, { returnTo, appState: tx.appState }, tx.replaces);
      return back(returnTo, undefined, [...txCookies, ...sessions.signingIn(req), ...created]);
    } catch (e) {
      return back(returnTo, asAuthError(e, 'the callback'), txCookies);
    }
  }

  /** The transaction's `returnTo`, checked again as it comes back: else the app's root. */
  function storedPath(returnTo: string): string {
    try {
      return sameOriginPath(returnTo, `${s.origin}/`);
    } catch {
      return '/';
    }
  }

  /**
   * `POST {basePath}/switch` (`switchAccount()`): the session ends here (its refresh token revoked),
   * then Cognito's `/logout` with a sign-in's parameters ends Cognito's session and shows its
   * sign-in page; the next user finishes at the callback. Answers `{ url }`.
   */
  async function switchAccount(req: Request): Promise<Response> {
    try {
      const options = await readJsonBody(req, s.cfg.timeout);
      // The next sign-in first: an option it refuses leaves the session as it was.
      const { to, setCookies } = await start(req, options, (e) => e.logout);
      const { record, setCookies: ended } = await sessions.end(req);
      if (record?.refreshToken) await revokeToken(s, await endpoints(), record.refreshToken, warn); // best effort
      return json(200, { url: to }, [...ended, ...setCookies]);
    } catch (e) {
      return errorJson(asAuthError(e, 'switching accounts'));
    }
  }

  return { login, callback, switchAccount };
}
