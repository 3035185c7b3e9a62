// A local identity provider shaped like an Amazon Cognito user pool, on oidc-provider.
//
//   issuer  http://127.0.0.1:{issuerPort}/{poolId}   discovery + JWKS (like cognito-idp.{region}.amazonaws.com)
//   domain  http://127.0.0.1:{domainPort}            /oauth2/*, /logout, sign-in page (like the hosted-UI domain)
import http from 'node:http';
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

import { cognitoRoutes } from './cognito-routes.mjs';
import { startIdentityPool } from './identity.mjs';
import { createProvider, loadOidcProvider } from './provider.mjs';
import { createUserDirectory, DEMO_USERS, publicUser } from './users.mjs';
import { listen } from './listen.mjs';

const generateKeyPairAsync = promisify(generateKeyPair);

async function signingKey() {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  // Cognito's kids are base64 strings (with '+', '/' and '=').
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(32).toString('base64'), alg: 'RS256', use: 'sig' };
}

function publicJwk({ kty, n, e, kid, alg, use }) {
  return { alg, e, kid, kty, n, use };
}

function positiveInt(name, value, fallback) {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v <= 0) throw new TypeError(`${name} must be a positive integer (seconds), got ${value}`);
  return v;
}


function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** The issuer host: discovery and JWKS only, readable from any origin. */
function issuerHandler({ poolId, discovery, jwks }) {
  const paths = {
    [`/${poolId}/.well-known/openid-configuration`]: discovery,
    [`/${poolId}/.well-known/jwks.json`]: jwks,
  };
  return (req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    const cors = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        ...(req.headers['access-control-request-headers']
          ? { 'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] } : {}),
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    const body = paths[pathname];
    if (!body || !['GET', 'HEAD'].includes(req.method)) {
      sendJson(res, body ? 405 : 404, { message: body ? 'Method not allowed' : 'Not found' }, cors);
      return;
    }
    sendJson(res, 200, body, cors);
  };
}

/** The confidential app clients (with a secret) of the local pool, for a backend-for-frontend. */
export const CONFIDENTIAL_CLIENTS = Object.freeze([
  Object.freeze({ clientId: 'local-bff-client', clientSecret: 'local-bff-client-secret-5j1ggd6f0b0l4f2ahmq7bq3nk', method: 'client_secret_basic' }),
  Object.freeze({ clientId: 'local-bff-post-client', clientSecret: 'local-bff-post-client-secret-8r2u6t1q9p3m0v', method: 'client_secret_post' }),
]);

/**
 * Start the local user pool. See README.md next to this file.
 * @param {import('./server.d.mts').IdpOptions} [options]
 * @returns {Promise<import('./server.d.mts').LocalIdp>}
 */
export async function startIdp(options = {}) {
  const debug = !!options.debug;
  const log = debug ? (...args) => console.log('[idp]', ...args) : () => {};
  const poolId = options.poolId ?? 'us-east-1_LocalPool';
  const region = options.region ?? 'us-east-1';
  const redirectUris = [...(options.redirectUris ?? ['http://127.0.0.1:5173/callback'])];
  const redirectOrigins = [...new Set(redirectUris.map((u) => new URL(u).origin))];
  const settings = {
    poolId,
    clientId: options.clientId ?? 'local-spa-client',
    redirectUris,
    logoutUris: [...(options.logoutUris ?? redirectOrigins.map((o) => `${o}/`))],
    corsOrigins: new Set(options.corsOrigins ?? redirectOrigins),
    accessTokenTtl: positiveInt('accessTokenTtl', options.accessTokenTtl, 3600),
    idTokenTtl: positiveInt('idTokenTtl', options.idTokenTtl, 3600),
    refreshTokenTtl: positiveInt('refreshTokenTtl', options.refreshTokenTtl, 30 * 24 * 3600),
    sessionTtl: positiveInt('sessionTtl', options.sessionTtl, 3600),
    rotateRefreshTokens: !!options.rotateRefreshTokens,
    confidentialClients: (options.confidentialClients ?? CONFIDENTIAL_CLIENTS).map((c) => ({ ...c })),
    crossOriginOpenerPolicy: options.crossOriginOpenerPolicy !== false,
    // Behaviours of real Cognito pools, switched on for tests and demos (README.md, "Switches").
    switches: {
      rotationMovesAuthTime: !!options.rotationMovesAuthTime,
      refreshError: options.refreshError ?? null,
      nextAuthorizeError: null,
      stallTokenReplies: 0,
    },
  };
  const users = createUserDirectory(options.users ?? DEMO_USERS, poolId);
  const requests = [];
  const counters = { revoked: 0, clientAuth: [] };

  let onIssuer = (_req, res) => sendJson(res, 503, { message: 'starting' });
  let onDomain = onIssuer;
  const record = (host) => (req, res) => {
    const { pathname, search } = new URL(req.url, 'http://127.0.0.1');
    requests.push({ host, method: req.method, path: pathname, url: pathname + search });
    log(host, req.method, pathname + search);
    (host === 'issuer' ? onIssuer : onDomain)(req, res);
  };
  const issuerServer = http.createServer(record('issuer'));
  const domainServer = http.createServer(record('domain'));
  const servers = [issuerServer, domainServer];

  let stopped;
  const stop = () => {
    stopped ||= Promise.all(servers.map((s) => new Promise((resolve) => {
      if (!s.listening) { resolve(); return; }
      s.close(() => resolve());
      s.closeAllConnections();
    }))).then(() => undefined);
    return stopped;
  };

  try {
    const issuerPort = await listen(issuerServer, options.issuerPort ?? 0);
    const domainPort = await listen(domainServer, options.domainPort ?? 0);
    const issuer = `http://127.0.0.1:${issuerPort}/${poolId}`;
    const domain = `http://127.0.0.1:${domainPort}`;
    const jwksUri = `${issuer}/.well-known/jwks.json`;

    const [idKey, accessKey] = await Promise.all([signingKey(), signingKey()]);
    const publicJwks = { keys: [publicJwk(idKey), publicJwk(accessKey)] };
    const discovery = {
      authorization_endpoint: `${domain}/oauth2/authorize`,
      end_session_endpoint: `${domain}/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      jwks_uri: jwksUri,
      response_types_supported: ['code', 'token'],
      revocation_endpoint: `${domain}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${domain}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${domain}/oauth2/userInfo`,
    };

    const { default: Provider, interactionPolicy } = await loadOidcProvider();
    const { provider, isOriginLive } = createProvider({ Provider, interactionPolicy, issuer, settings, users, keys: { idKey, accessKey } });
    if (debug) {
      for (const event of ['server_error', 'authorization.error', 'grant.error', 'revocation.error', 'end_session.error']) {
        provider.on(event, (_ctx, err) => log(event, err?.message ?? err, err?.error_description ?? ''));
      }
    }
    provider.use(async (ctx, next) => {
      ctx.set('X-Frame-Options', 'DENY'); // the hosted pages cannot be framed, like Cognito's
      // Cognito's pages send this too: a popup that reaches them loses its opener (and `closed` reads true there).
      if (settings.crossOriginOpenerPolicy) ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
      await next();
    });
    provider.use(cognitoRoutes({ provider, isOriginLive, settings, users, publicJwks, issuer, counters, log }));

    // An identity pool for the pool's users (on the issuer host), an AWS service that checks SigV4.
    const identity = await startIdentityPool({ issuer, clientIds: [settings.clientId], publicJwks, region, options, servers, requests, log });
    onIssuer = identity.serve(issuerHandler({ poolId, discovery, jwks: publicJwks }));
    onDomain = provider.callback();
    log(`issuer ${issuer}`);
    log(`domain ${domain}`);

    return {
      issuer,
      domain,
      jwksUri,
      discoveryUrl: `${issuer}/.well-known/openid-configuration`,
      clientId: settings.clientId,
      confidentialClients: settings.confidentialClients.map((c) => ({ ...c })),
      clientAuth: counters.clientAuth,
      region,
      poolId,
      redirectUris: [...settings.redirectUris],
      logoutUris: [...settings.logoutUris],
      users: users.list.map(publicUser),
      requests,
      stop,
      revokedCount: () => counters.revoked,
      switches: settings.switches,
      setTokenLifetime(seconds, idSeconds = seconds) {
        settings.accessTokenTtl = positiveInt('seconds', seconds);
        settings.idTokenTtl = positiveInt('idSeconds', idSeconds);
      },
      setRefreshTokenLifetime(seconds) {
        settings.refreshTokenTtl = positiveInt('seconds', seconds);
      },
      ...identity.info,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
