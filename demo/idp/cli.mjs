#!/usr/bin/env node
// Start the local Cognito-shaped IdP from the command line (used by `npm run demo`).
//
//   node demo/idp/cli.mjs            # settings from the environment, see README.md
//   node demo/idp/cli.mjs --json     # print one JSON line instead of the table
//
// Environment (all optional):
//   IDP_ISSUER_PORT (9011)  IDP_DOMAIN_PORT (9012)  IDP_CLIENT_ID (local-spa-client)
//   IDP_REDIRECT_URIS   comma-separated callback URLs (http://127.0.0.1:5173/callback)
//   IDP_LOGOUT_URIS     comma-separated sign-out URLs (each redirect origin + '/')
//   IDP_CORS_ORIGINS    comma-separated origins (the redirect origins)
//   IDP_ACCESS_TOKEN_TTL, IDP_ID_TOKEN_TTL, IDP_REFRESH_TOKEN_TTL, IDP_SESSION_TTL   seconds
//   IDP_ROTATE_REFRESH_TOKENS=1   IDP_POOL_ID   IDP_REGION   IDP_DEBUG=1
import { startIdp } from './server.mjs';

const env = process.env;
const list = (v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
const int = (name, v) => {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} must be a whole number, got ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
};
const flag = (v) => v === '1' || v === 'true' || v === 'yes';

const options = {
  issuerPort: int('IDP_ISSUER_PORT', env.IDP_ISSUER_PORT) ?? 9011,
  domainPort: int('IDP_DOMAIN_PORT', env.IDP_DOMAIN_PORT) ?? 9012,
  clientId: env.IDP_CLIENT_ID || undefined,
  redirectUris: list(env.IDP_REDIRECT_URIS),
  logoutUris: list(env.IDP_LOGOUT_URIS),
  corsOrigins: list(env.IDP_CORS_ORIGINS),
  accessTokenTtl: int('IDP_ACCESS_TOKEN_TTL', env.IDP_ACCESS_TOKEN_TTL),
  idTokenTtl: int('IDP_ID_TOKEN_TTL', env.IDP_ID_TOKEN_TTL),
  refreshTokenTtl: int('IDP_REFRESH_TOKEN_TTL', env.IDP_REFRESH_TOKEN_TTL),
  sessionTtl: int('IDP_SESSION_TTL', env.IDP_SESSION_TTL),
  rotateRefreshTokens: flag(env.IDP_ROTATE_REFRESH_TOKENS),
  poolId: env.IDP_POOL_ID || undefined,
  region: env.IDP_REGION || undefined,
  debug: flag(env.IDP_DEBUG),
};

let idp;
try {
  idp = await startIdp(options);
} catch (err) {
  console.error(`local IdP failed to start: ${err.message}`);
  process.exit(1);
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({
    issuer: idp.issuer, domain: idp.domain, clientId: idp.clientId, jwksUri: idp.jwksUri,
    redirectUris: idp.redirectUris, logoutUris: idp.logoutUris,
  }));
} else {
  console.log(`issuer    ${idp.issuer}`);
  console.log(`domain    ${idp.domain}`);
  console.log(`clientId  ${idp.clientId}`);
  console.log(`callback  ${idp.redirectUris.join(', ')}`);
  console.log(`sign-out  ${idp.logoutUris.join(', ')}`);
  console.log(`users     ${idp.users.map((u) => `${u.username} / ${u.password}`).join(', ')}`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await idp.stop();
    process.exit(0);
  });
}
