// The command line's settings: flags, then the environment, then a JSON config file, then the
// defaults. Every mistake is a ConfigError that says what was given and what is expected.
import { readFileSync } from 'node:fs';

import { stableUuid } from './users.mjs';

export class ConfigError extends Error {}

export const USAGE = `Usage: cognito-local-idp [options]

A local Cognito-shaped user pool (issuer + hosted-UI domain) for your app's development and CI.

  --config FILE         JSON settings (see below); flags and environment variables override it
  --origin URL          your app's origin: allows {origin}/callback, signs out to {origin}/,
                        and lets it call the token endpoint (repeatable)
  --redirect-uri URL    an allowed callback URL, exact match (repeatable)
  --logout-uri URL      an allowed sign-out URL, exact match (repeatable)
  --client-id ID        the app client id (default local-spa-client)
  --issuer-port N       port of the issuer (discovery, keys); default 9011, 0 = any free port
  --domain-port N       port of the hosted-UI domain (/oauth2/*, /logout); default 9012
  --json                print one JSON line instead of the table
  --debug               log every request and refusal
  --help                this text

Environment: IDP_CONFIG, IDP_ISSUER_PORT, IDP_DOMAIN_PORT, IDP_CLIENT_ID, IDP_REDIRECT_URIS,
IDP_LOGOUT_URIS, IDP_CORS_ORIGINS (comma-separated), IDP_ACCESS_TOKEN_TTL, IDP_ID_TOKEN_TTL,
IDP_REFRESH_TOKEN_TTL, IDP_SESSION_TTL (seconds), IDP_ROTATE_REFRESH_TOKENS=1, IDP_POOL_ID,
IDP_REGION, IDP_DEBUG=1.

Config file: { "origin", "clientId", "redirectUris", "logoutUris", "corsOrigins", "issuerPort",
"domainPort", "poolId", "region", "accessTokenTtl", "idTokenTtl", "refreshTokenTtl", "sessionTtl",
"rotateRefreshTokens", "users": [{ "username", "password", "email", "groups", "name",
"given_name", "family_name", "phone_number", "sub", "attributes": { "custom:tenant": "acme" } }] }
`;

const FILE_FIELDS = new Set(['origin', 'clientId', 'redirectUris', 'logoutUris', 'corsOrigins', 'issuerPort', 'domainPort', 'poolId', 'region',
  'accessTokenTtl', 'idTokenTtl', 'refreshTokenTtl', 'sessionTtl', 'rotateRefreshTokens', 'users', 'debug']);
const USER_FIELDS = new Set(['username', 'password', 'email', 'email_verified', 'groups', 'name', 'given_name', 'family_name', 'phone_number',
  'phone_number_verified', 'sub', 'attributes']);
const FLAGS = { '--config': 'config', '--origin': 'origin', '--redirect-uri': 'redirectUris', '--logout-uri': 'logoutUris', '--client-id': 'clientId',
  '--issuer-port': 'issuerPort', '--domain-port': 'domainPort' };
const REPEATABLE = new Set(['origin', 'redirectUris', 'logoutUris']);

const fail = (message) => { throw new ConfigError(message); };
const list = (v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

function port(name, v) {
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`${name} must be a port number (0 = any free port), got ${JSON.stringify(v)}`);
  return n;
}
function seconds(name, v) {
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n <= 0) fail(`${name} must be a whole number of seconds, got ${JSON.stringify(v)}`);
  return n;
}
function url(name, v, { origin = false } = {}) {
  let u;
  try {
    u = new URL(v);
  } catch {
    fail(`${name} must be an absolute URL, got ${JSON.stringify(v)}`);
  }
  if (origin && u.href !== `${u.origin}/`) fail(`${name} must be an origin like http://localhost:5173 (no path), got ${JSON.stringify(v)}`);
  return origin ? u.origin : v;
}
const strings = (name, v) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : fail(`${name} must be an array of strings`));

/** Parse argv (without node and the script). Unknown flags are an error. */
export function parseArgs(argv) {
  const flags = { redirectUris: [], logoutUris: [], origin: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name === '--json' || name === '--debug' || name === '--help' || name === '-h') {
      flags[name === '-h' ? 'help' : name.slice(2)] = true;
      continue;
    }
    const key = FLAGS[name];
    if (!key) fail(`unknown option ${JSON.stringify(arg)} (see --help)`);
    const value = inline ?? argv[++i];
    if (value === undefined) fail(`${name} needs a value`);
    if (REPEATABLE.has(key)) flags[key].push(value);
    else flags[key] = value;
  }
  return flags;
}

function readUsers(users, file) {
  if (!Array.isArray(users) || users.length === 0) fail(`${file}: "users" must be a non-empty array`);
  return users.map((u, i) => {
    const where = `${file}: users[${i}]`;
    if (!u || typeof u !== 'object') fail(`${where} must be an object`);
    for (const k of Object.keys(u)) if (!USER_FIELDS.has(k)) fail(`${where}: unknown field "${k}" (known: ${[...USER_FIELDS].join(', ')})`);
    if (typeof u.username !== 'string' || !u.username) fail(`${where}: "username" is required`);
    if (typeof u.password !== 'string' || !u.password) fail(`${where} (${u.username}): "password" is required`);
    if (u.groups !== undefined) strings(`${where}.groups`, u.groups);
    if (u.attributes !== undefined) {
      if (!u.attributes || typeof u.attributes !== 'object' || Array.isArray(u.attributes)) fail(`${where}.attributes must be an object`);
      for (const [k, v] of Object.entries(u.attributes)) {
        if (!k.startsWith('custom:')) fail(`${where}.attributes: "${k}" must be a custom attribute named custom:... (standard ones are fields of the user)`);
        if (typeof v !== 'string') fail(`${where}.attributes["${k}"] must be a string, as Cognito's attributes are`);
      }
    }
    return { sub: stableUuid(`user:${u.username}`), ...u };
  });
}

function readFile(path) {
  let raw;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    fail(`cannot read the config file ${path}: ${err.message}`);
  }
  let json;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    fail(`${path} is not JSON: ${err.message}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) fail(`${path} must hold a JSON object`);
  for (const k of Object.keys(json)) if (!FILE_FIELDS.has(k)) fail(`${path}: unknown field "${k}" (known: ${[...FILE_FIELDS].join(', ')})`);
  return json;
}

/**
 * The options of startIdp() from flags, environment and config file (in that order of precedence).
 * @returns {{ options: import('./server.d.mts').IdpOptions, json: boolean, help: boolean }}
 */
export function resolveSettings(argv, env) {
  const flags = parseArgs(argv);
  const path = flags.config ?? env.IDP_CONFIG;
  const file = path ? readFile(path) : {};
  const name = path ?? 'config';
  const origins = [...(flags.origin.length ? flags.origin : list(env.IDP_ORIGINS) ?? (file.origin === undefined ? [] : [file.origin].flat()))]
    .map((o) => url('origin', o, { origin: true }));
  const pick = (flag, envValue, fileValue) => (flag !== undefined ? flag : envValue !== undefined && envValue !== '' ? envValue : fileValue);
  const uris = (key, envName, fromOrigin) => {
    const given = flags[key].length ? flags[key] : list(env[envName]) ?? (file[key] === undefined ? undefined : strings(`${name}: ${key}`, file[key]));
    const all = [...(given ?? []), ...origins.map(fromOrigin)];
    return all.length ? [...new Set(all)].map((u) => url(key, u)) : undefined;
  };
  const cors = list(env.IDP_CORS_ORIGINS) ?? (file.corsOrigins === undefined ? undefined : strings(`${name}: corsOrigins`, file.corsOrigins));
  const options = {
    issuerPort: port('issuer port', pick(flags.issuerPort, env.IDP_ISSUER_PORT, file.issuerPort)) ?? 9011,
    domainPort: port('domain port', pick(flags.domainPort, env.IDP_DOMAIN_PORT, file.domainPort)) ?? 9012,
    clientId: pick(flags.clientId, env.IDP_CLIENT_ID, file.clientId),
    redirectUris: uris('redirectUris', 'IDP_REDIRECT_URIS', (o) => `${o}/callback`),
    logoutUris: uris('logoutUris', 'IDP_LOGOUT_URIS', (o) => `${o}/`),
    corsOrigins: cors ? [...new Set([...cors, ...origins])] : undefined,
    accessTokenTtl: seconds('accessTokenTtl', pick(undefined, env.IDP_ACCESS_TOKEN_TTL, file.accessTokenTtl)),
    idTokenTtl: seconds('idTokenTtl', pick(undefined, env.IDP_ID_TOKEN_TTL, file.idTokenTtl)),
    refreshTokenTtl: seconds('refreshTokenTtl', pick(undefined, env.IDP_REFRESH_TOKEN_TTL, file.refreshTokenTtl)),
    sessionTtl: seconds('sessionTtl', pick(undefined, env.IDP_SESSION_TTL, file.sessionTtl)),
    rotateRefreshTokens: ['1', 'true', 'yes'].includes(String(pick(undefined, env.IDP_ROTATE_REFRESH_TOKENS, file.rotateRefreshTokens))),
    poolId: pick(undefined, env.IDP_POOL_ID, file.poolId),
    region: pick(undefined, env.IDP_REGION, file.region),
    users: file.users === undefined ? undefined : readUsers(file.users, name),
    debug: flags.debug === true || ['1', 'true', 'yes'].includes(String(env.IDP_DEBUG)) || file.debug === true,
  };
  for (const k of Object.keys(options)) if (options[k] === undefined || options[k] === '') delete options[k];
  return { options, json: flags.json === true, help: flags.help === true };
}
