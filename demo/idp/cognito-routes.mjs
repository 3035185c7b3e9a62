// The user-pool domain's routes that oidc-provider does not have, or has in another shape:
// /logout, /oauth2/userInfo, the sign-in page, CORS preflights, and Cognito's reply shapes.
import { createLocalJWKSet, jwtVerify } from 'jose';

import { explainRefusal } from './explain.mjs';
import { createLoginRoute, renderErrorPage, SCREEN_COOKIE } from './login-page.mjs';
import { userInfoClaims } from './users.mjs';

const CORS_PATHS = new Set(['/oauth2/token', '/oauth2/revoke', '/oauth2/userInfo']);
// oidc-provider routes reachable from outside (the rest of its routes are not Cognito's).
const PROVIDER_PATHS = [
  /^\/oauth2\/authorize(\/[A-Za-z0-9_-]+)?$/,
  /^\/oauth2\/token$/,
  /^\/oauth2\/revoke$/,
  /^\/_oidc\/session\/end(\/confirm|\/success)?$/, // used when another user signs in over a session
];

function json(ctx, status, body, headers = {}) {
  ctx.status = status;
  for (const [k, v] of Object.entries(headers)) ctx.set(k, v);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}

function errorPage(ctx, status, error, description, details) {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = renderErrorPage(error, description, details);
}

/**
 * @param {object} p
 * @param {import('oidc-provider').default} p.provider
 * @param {(originJti: string) => Promise<boolean>} p.isOriginLive
 * @param {object} p.settings
 * @param {object} p.users user directory
 * @param {{ keys: object[] }} p.publicJwks
 * @param {string} p.issuer
 * @param {{ revoked: number }} p.counters
 * @param {(...args: unknown[]) => void} p.log
 */
export function cognitoRoutes({ provider, isOriginLive, settings, users, publicJwks, issuer, counters, log }) {
  const loginRoute = createLoginRoute({ provider, users, log });
  const keySet = createLocalJWKSet(publicJwks);

  function allowCors(ctx) {
    const origin = ctx.get('Origin');
    if (!origin) return true;
    ctx.vary('Origin');
    if (!settings.corsOrigins.has(origin)) return false;
    ctx.set('Access-Control-Allow-Origin', origin);
    return true;
  }

  function preflight(ctx) {
    if (!allowCors(ctx)) {
      ctx.status = 403;
      return;
    }
    ctx.set('Access-Control-Allow-Methods', ctx.path === '/oauth2/userInfo' ? 'GET, POST, OPTIONS' : 'POST, OPTIONS');
    const requested = ctx.get('Access-Control-Request-Headers');
    if (requested) ctx.set('Access-Control-Allow-Headers', requested);
    ctx.set('Access-Control-Max-Age', '600');
    ctx.status = 204;
  }

  async function endSession(ctx) {
    const session = await provider.Session.get(ctx);
    if (session.accountId) log('hosted UI session ended for', session.accountId);
    await session.destroy();
    ctx.cookies.set(provider.cookieName('session'), null, { path: '/', httpOnly: true, sameSite: 'lax' });
  }

  async function logout(ctx) {
    const q = ctx.query;
    const missing = "Required String parameter 'redirect_uri' is not present";
    const details = explainRefusal(q, settings, 'logout'); // what was sent and what is allowed
    if (q.client_id !== settings.clientId && !settings.confidentialClients.some((c) => c.clientId === q.client_id)) {
      errorPage(ctx, 400, 'invalid_request', q.client_id ? 'Client does not exist.' : missing, details);
      return;
    }
    if (typeof q.logout_uri === 'string') {
      if (!settings.logoutUris.includes(q.logout_uri)) {
        errorPage(ctx, 400, 'invalid_request', missing, details);
        return;
      }
      await endSession(ctx);
      ctx.set('Cache-Control', 'no-store');
      ctx.redirect(q.logout_uri); // 302, like Cognito
      return;
    }
    if (typeof q.redirect_uri === 'string' && typeof q.response_type === 'string') {
      if (!settings.redirectUris.includes(q.redirect_uri)) {
        errorPage(ctx, 400, 'redirect_mismatch', missing, details);
        return;
      }
      await endSession(ctx);
      // Signs out, then starts a new sign-in (ends on the sign-in page).
      const next = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (typeof v === 'string' && k !== 'logout_uri') next.set(k, v);
      ctx.redirect(`/oauth2/authorize?${next}`);
      return;
    }
    errorPage(ctx, 400, 'invalid_request', missing, details);
  }

  /**
   * Cognito's /signup and /forgotPassword: /oauth2/authorize's parameters, another first page (the
   * sign-up or the forgot-password form), the same end at the callback.
   */
  function accountPage(ctx, screen) {
    const q = ctx.query;
    if (q.client_id !== settings.clientId || !settings.redirectUris.includes(q.redirect_uri)) {
      errorPage(ctx, 400, 'invalid_request', q.client_id === settings.clientId ? 'redirect_mismatch' : 'Client does not exist.');
      return;
    }
    ctx.cookies.set(SCREEN_COOKIE, screen, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 15 * 60 * 1000 });
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (typeof v === 'string') next.set(k, v);
    next.set('prompt', 'login'); // the form even over a live session
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(`/oauth2/authorize?${next}`);
  }

  async function userInfo(ctx) {
    if (!allowCors(ctx)) {
      json(ctx, 403, { error: 'invalid_request', error_description: 'origin not allowed' });
      return;
    }
    if (!['GET', 'POST'].includes(ctx.method)) {
      json(ctx, 405, { error: 'invalid_request' }, { Allow: 'GET, POST, OPTIONS' });
      return;
    }
    const challenge = (error, description) => ({
      'WWW-Authenticate': `Bearer error="${error}", error_description="${description}"`,
    });
    const token = /^Bearer\s+(\S+)$/i.exec(ctx.get('Authorization') ?? '')?.[1];
    if (!token) {
      json(ctx, 401, { error: 'invalid_request', error_description: 'Access token is missing' }, challenge('invalid_request', 'Access token is missing'));
      return;
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keySet, { issuer, algorithms: ['RS256'] }));
      if (payload.token_use !== 'access') throw new Error('not an access token');
      if (!(await isOriginLive(payload.origin_jti))) throw new Error('access token revoked');
    } catch (err) {
      log('userInfo refused:', err.message);
      const description = err?.code === 'ERR_JWT_EXPIRED' ? 'Access token is expired' : 'Invalid access token';
      json(ctx, 401, { error: 'invalid_token', error_description: description }, challenge('invalid_token', description));
      return;
    }
    const scopes = new Set(String(payload.scope ?? '').split(' '));
    const user = users.bySub(payload.sub);
    if (!user || !scopes.has('openid')) {
      json(ctx, 403, { error: 'insufficient_scope' }, challenge('insufficient_scope', 'Access token does not contain openid scope'));
      return;
    }
    json(ctx, 200, userInfoClaims(user, scopes));
  }

  /** Shape oidc-provider's replies like Cognito's once it has answered. */
  function reshape(ctx) {
    const { path } = ctx;
    if ((path === '/oauth2/token' || path === '/oauth2/revoke') && ctx.method === 'POST') {
      // How the client authenticated (tests check that a confidential client sends its secret as configured).
      const method = ctx.get('Authorization') ? 'client_secret_basic' : ctx.oidc?.params?.client_secret ? 'client_secret_post' : 'none';
      counters.clientAuth.push({ path, clientId: ctx.oidc?.client?.clientId, method, status: ctx.status });
    }
    if (path === '/oauth2/token' && ctx.body && typeof ctx.body === 'object') {
      const refreshError = settings.switches.refreshError;
      if (ctx.status === 200 && refreshError && ctx.oidc?.params?.grant_type === 'refresh_token') {
        // A misconfigured app client (switches.refreshError): Cognito's reply shape. The grant
        // itself ran: with rotation on, the refresh token presented is spent.
        ctx.status = 400;
        ctx.body = { error: refreshError };
      } else if (ctx.status === 200) {
        delete ctx.body.scope;
        const rotated = !!ctx.oidc?.entities?.RotatedRefreshToken;
        if (ctx.oidc?.params?.grant_type === 'refresh_token' && !rotated) delete ctx.body.refresh_token;
      } else if (ctx.body.error) {
        log('token error:', ctx.body.error, ctx.body.error_description ?? '');
        ctx.body = { error: ctx.body.error };
      }
    }
    if (path === '/oauth2/revoke') {
      if (ctx.status === 200 && ctx.oidc?.entities?.RefreshToken) counters.revoked += 1;
      if (ctx.status >= 400 && ctx.body?.error) {
        log('revoke error:', ctx.body.error, ctx.body.error_description ?? '');
        ctx.body = { error: ctx.body.error };
      }
    }
    if (path.startsWith('/oauth2/authorize') && ctx.status >= 300 && ctx.status < 400) {
      // Cognito answers with 302 and does not add RFC 9207's `iss` to the callback.
      const location = ctx.response.get('Location');
      const url = location && URL.parse(location);
      if (url && url.origin !== ctx.origin) {
        url.searchParams.delete('iss');
        ctx.body = '';
        ctx.status = 302;
        ctx.set('Location', url.href);
      }
    }
  }

  /** A stalled reply (switches.stallTokenReplies): the status line, headers and part of a body, then nothing. */
  function stall(ctx) {
    settings.switches.stallTokenReplies -= 1;
    log('stalling a token reply');
    ctx.respond = false;
    const origin = ctx.get('Origin');
    ctx.res.writeHead(200, {
      'Content-Type': 'application/json;charset=UTF-8',
      'Cache-Control': 'no-store',
      ...(origin && settings.corsOrigins.has(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {}),
    });
    ctx.res.write('{"id_token":"eyJ');
  }

  /** An error redirect to the request's redirect_uri when it is allowed (exact match), else the error page. */
  function errorRedirect(ctx, error, description, state) {
    const uri = ctx.query.redirect_uri;
    if (typeof uri !== 'string' || !settings.redirectUris.includes(uri)) {
      errorPage(ctx, 400, 'redirect_mismatch', 'redirect_uri is not an allowed callback URL');
      return;
    }
    const target = new URL(uri);
    if (description) target.searchParams.set('error_description', description);
    target.searchParams.set('error', error);
    if (state) target.searchParams.set('state', state);
    ctx.redirect(target.href);
  }

  /** An error redirect without state (switches.nextAuthorizeError), as Cognito sends for some failures. */
  function errorWithoutState(ctx) {
    const { error, error_description: description } = settings.switches.nextAuthorizeError;
    settings.switches.nextAuthorizeError = null;
    errorRedirect(ctx, error, description);
  }

  return async function cognito(ctx, next) {
    const { path } = ctx;
    if (ctx.method === 'OPTIONS' && CORS_PATHS.has(path)) return preflight(ctx);
    if (path === '/oauth2/token' && ctx.method === 'POST' && settings.switches.stallTokenReplies > 0) return stall(ctx);
    if (path === '/oauth2/authorize' && settings.switches.nextAuthorizeError) return errorWithoutState(ctx);
    // Cognito takes identity_provider or idp_identifier, never both.
    if (path === '/oauth2/authorize' && ctx.query.identity_provider && ctx.query.idp_identifier) {
      return errorRedirect(ctx, 'invalid_request', 'identity_provider and idp_identifier cannot both be sent', ctx.query.state);
    }
    if (path === '/logout' && ctx.method === 'GET') return logout(ctx);
    if ((path === '/signup' || path === '/forgotPassword') && ctx.method === 'GET') return accountPage(ctx, path === '/signup' ? 'signup' : 'forgot');
    if (path === '/oauth2/userInfo') return userInfo(ctx);
    if (path.startsWith('/login/')) return loginRoute(ctx);
    if (!PROVIDER_PATHS.some((re) => re.test(path))) {
      errorPage(ctx, 404, 'not_found', 'No such page on the user pool domain.');
      return undefined;
    }
    await next();
    reshape(ctx);
    return undefined;
  };
}
