#!/usr/bin/env node
// The script-tag demo's twin with a backend-for-frontend: the same page (demo/public), its SDK
// script the BFF client (dist/cognito-bff.iife.js), served by a small Node server that runs
// cognito-spa-auth/server with a confidential app client of the local pool. The tokens stay on
// this server; the page holds an HttpOnly cookie and calls a demo API through the BFF's proxy.
//
//   npm run demo:bff                  # build, then http://127.0.0.1:5174/ with the local pool
//   node demo/bff-serve.mjs           # the same without the build
//
// Environment (all optional): DEMO_PORT (5174)   IDP_ISSUER_PORT (9021)   IDP_DOMAIN_PORT (9022)
//   DEMO_ACCESS_TOKEN_TTL  seconds; e.g. 90 to watch the server renew a minute in
//   DEMO_COOKIE_SECRET     the BFF's cookieSecret (default: a random one per start)
//
// From code (tests): `startBffDemo(options)`; see bff-serve.d.mts.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { createLocalJWKSet, jwtVerify } from 'jose';

import { startIdp } from './idp/server.mjs';
import { listen } from './listen.mjs';
import { contentSecurityPolicy, DEMO_SDK_CONFIG, envInt, FILES, serve, stopOnSignals } from './serve.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** The page's files, its SDK script being the BFF client (which defines the same `window.CognitoAuth`). */
const BFF_FILES = {
  ...FILES,
  '/dist/cognito-auth.iife.js': { file: here('../dist/cognito-bff.iife.js'), type: 'text/javascript; charset=utf-8', build: true },
  '/dist/cognito-auth.iife.js.map': { file: here('../dist/cognito-bff.iife.js.map'), type: 'application/json; charset=utf-8', build: true },
};

const close = (server) =>
  new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });

/**
 * The API behind the proxy: it verifies the access token the BFF adds (signature, issuer,
 * token_use, client) and answers who called.
 */
async function startApi(idp, clientId) {
  const keys = createLocalJWKSet(await (await fetch(idp.jwksUri)).json());
  const server = http.createServer(async (req, res) => {
    const send = (status, body) => res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return send(401, { message: 'no access token' });
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: idp.issuer, algorithms: ['RS256'] });
      if (payload.token_use !== 'access' || payload.client_id !== clientId) return send(401, { message: 'not an access token of this app' });
      send(200, { path: req.url, caller: payload.username, groups: payload['cognito:groups'] ?? [], scope: payload.scope, cookies: req.headers.cookie ?? null });
    } catch (e) {
      send(401, { message: `access token refused: ${e.code ?? e.message}` });
    }
  });
  return { server, url: `http://127.0.0.1:${await listen(server, 0)}` };
}

/**
 * Start the local pool, the demo API and the BFF server.
 * @param {import('./bff-serve.d.mts').BffDemoOptions} [options]
 * @returns {Promise<import('./bff-serve.d.mts').BffDemo>}
 */
export async function startBffDemo(options = {}) {
  const log = options.log === false ? () => {} : (options.log ?? ((...a) => console.log(...a)));
  const { createCognitoBff, toNodeHandler } = await import('../dist/server.mjs').catch((cause) => {
    throw new Error('dist/server.mjs is missing: run `npm run build` first', { cause });
  });
  const state = { ready: false, config: null, csp: contentSecurityPolicy([]), files: BFF_FILES };
  const requests = [];
  let node = null;
  const server = http.createServer((req, res) => {
    const entry = { method: req.method, path: req.url, status: 0 };
    requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    (node ? node(req, res) : serve(req, res, state)).catch((err) => {
      log(`demo:bff: ${req.method} ${req.url} failed: ${err.message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal error\n');
    });
  });
  let idp = null;
  let api = null;
  let stopped;
  const stop = () => (stopped ||= Promise.all([close(server), api && close(api.server), idp?.stop()]).then(() => undefined));
  try {
    const port = await listen(server, options.port ?? 0);
    const origin = `http://127.0.0.1:${port}`;
    idp = await startIdp({
      issuerPort: options.issuerPort ?? 0,
      domainPort: options.domainPort ?? 0,
      redirectUris: [`${origin}/callback`],
      logoutUris: [`${origin}/`],
      ...(options.accessTokenTtl !== undefined && { accessTokenTtl: options.accessTokenTtl, idTokenTtl: options.accessTokenTtl }),
      ...(options.rotateRefreshTokens !== undefined && { rotateRefreshTokens: options.rotateRefreshTokens }),
    });
    const client = idp.confidentialClients.find((c) => c.method === 'client_secret_basic');
    api = await startApi(idp, client.clientId);
    const bff = createCognitoBff({
      authority: idp.issuer,
      domain: idp.domain,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      callbackUrl: `${origin}/callback`,
      cookieSecret: options.cookieSecret ?? randomBytes(32).toString('base64url'),
      proxy: { '/api': api.url },
      ...DEMO_SDK_CONFIG,
      ...options.bff,
    });
    node = toNodeHandler(bff, (req, res) => serve(req, res, state)); // the BFF's routes, else the page
    state.config = {
      basePath: '/auth',
      demo: {
        mode: 'local',
        api: '/api/me',
        footer: `Backend-for-frontend at ${origin}/auth · confidential client ${client.clientId} · local user pool ${idp.issuer} · tokens on the server only`,
        users: idp.users.map((u) => ({ username: u.username, email: u.email, groups: u.groups })),
        password: 'Password1!',
      },
    };
    // The page talks to its own origin only: no connect-src for the pool, whose tokens it never sees.
    state.csp = contentSecurityPolicy([]);
    state.ready = true;
    return { url: `${origin}/`, origin, idp, api: api.url, bff, client, requests, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** `node demo/bff-serve.mjs`: fixed ports, settings from the environment. */
async function main() {
  let demo;
  try {
    demo = await startBffDemo({
      port: envInt('DEMO_PORT', 5174),
      issuerPort: envInt('IDP_ISSUER_PORT', 9021),
      domainPort: envInt('IDP_DOMAIN_PORT', 9022),
      accessTokenTtl: envInt('DEMO_ACCESS_TOKEN_TTL', undefined),
      cookieSecret: process.env.DEMO_COOKIE_SECRET || undefined,
    });
  } catch (err) {
    console.error(`The BFF demo failed to start: ${err.message}`);
    if (err.code === 'EADDRINUSE') console.error('A port is taken: set DEMO_PORT, IDP_ISSUER_PORT or IDP_DOMAIN_PORT.');
    process.exit(1);
  }
  console.log('cognito-spa-auth demo with a backend-for-frontend (cognito-spa-auth/server + /bff)');
  console.log('');
  console.log(`  open        ${demo.url}`);
  console.log(`  BFF         ${demo.origin}/auth/{login,session,logout}, callback ${demo.origin}/callback`);
  console.log(`  proxy       ${demo.origin}/api -> ${demo.api} (a demo API that checks the access token)`);
  console.log(`  user pool   ${demo.idp.issuer}   (local, demo/idp)`);
  console.log(`  client      ${demo.client.clientId} (confidential, client_secret_basic)`);
  console.log(`  users       ${demo.idp.users.map((u) => `${u.username} / ${u.password}`).join(', ')}`);
  console.log('\nCtrl+C to stop.');
  stopOnSignals(demo);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
