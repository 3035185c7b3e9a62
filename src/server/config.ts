import { checkUrl, configError, normalizeConfig, type NormalizedConfig } from '../config.js';
import type { CognitoAuthConfig } from '../types.js';
import type { ClientAuthenticationMethod, CognitoBffConfig, SessionStore } from './types.js';

/** The BFF's config after validation. */
export interface BffSettings {
  cfg: NormalizedConfig;
  clientSecret: string;
  authMethod: ClientAuthenticationMethod;
  /** `serverUrl`'s origin: the only origin the BFF answers for and redirects to. */
  origin: string;
  /** https: `__Host-` cookies with `Secure`; false on plain-http loopback only. */
  secure: boolean;
  basePath: string;
  callbackPath: string;
  cookieSecrets: string[];
  /** Longest prefix first. */
  proxy: Array<{ prefix: string; upstream: URL }>;
  store?: SessionStore;
  exposeAccessToken: boolean;
}

const SERVER_FIELDS = new Set(['clientSecret', 'clientAuthenticationMethod', 'serverUrl', 'cookieSecret', 'basePath', 'proxy', 'store', 'exposeAccessToken']);
const METHODS: readonly ClientAuthenticationMethod[] = ['client_secret_basic', 'client_secret_post'];
const MIN_SECRET = 32;

/** Fields of the browser's config that mean nothing on the server, and why; refused here. */
const BROWSER_ONLY: Record<string, string> = {
  ...Object.fromEntries(['storage', 'silentRenew', 'navigate'].map((k) => [k, "a browser client's option; the BFF keeps the session in an HttpOnly cookie or its store"])),
  ...Object.fromEntries(['identityPoolId', 'customRoleArn'].map((k) => [k, "AWS credentials from an identity pool are for browser-only apps (the BFF's page holds no ID token to get them with)"])),
  idleTimeout: 'idle sign-out watches the page: the browser-only client does it (with a BFF, sessionExpiry bounds the session)',
  secret: 'the BFF names it clientSecret',
};

/** A path such as `/auth` or `/api/v1`: no trailing slash, no empty or dot segments, nothing to decode. */
function checkPath(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^(\/[A-Za-z0-9_~!$&'()*+,;=:@.-]+)+$/.test(value) || value.split('/').some((s) => s === '.' || s === '..')) {
    throw configError(field, `"${String(value)}" must be a path like "/auth" (no trailing slash, no dot segments, no percent-encoding)`);
  }
  return value;
}

function isStore(s: unknown): s is SessionStore {
  const o = s as Record<string, unknown> | null;
  return !!o && typeof o === 'object' && ['get', 'set', 'delete', 'lock'].every((m) => typeof o[m] === 'function');
}

/**
 * Validate the BFF's config: the browser's checks (shared, in ../config.ts), then the server's
 * own fields. Throws `AuthError('invalid_config')` naming the first wrong field.
 */
export function normalizeBffConfig(input: CognitoBffConfig): BffSettings {
  if (!input || typeof input !== 'object') throw configError('(root)', 'an object is expected');
  const raw = input as unknown as Record<string, unknown>;
  for (const [key, why] of Object.entries(BROWSER_ONLY)) if (raw[key] !== undefined) throw configError(key, why);
  // The browser client's own validation of every shared field (the server's own are checked below).
  const cfg = normalizeConfig(Object.fromEntries(Object.entries(raw).filter(([k]) => !SERVER_FIELDS.has(k))) as unknown as CognitoAuthConfig);
  if (typeof raw.clientSecret !== 'string' || !raw.clientSecret.trim()) {
    throw configError('clientSecret', "the app client's secret is required: the BFF is a confidential client");
  }
  const authMethod = (raw.clientAuthenticationMethod ?? 'client_secret_basic') as ClientAuthenticationMethod;
  if (!METHODS.includes(authMethod)) throw configError('clientAuthenticationMethod', `one of ${METHODS.join(', ')} is expected`);

  const callback = new URL(cfg.callbackUrl);
  const server = raw.serverUrl === undefined ? new URL(callback.origin) : checkUrl('serverUrl', raw.serverUrl);
  if (server.pathname !== '/' || server.search || server.hash) {
    throw configError('serverUrl', `"${String(raw.serverUrl)}" must be an origin such as https://app.example.com (no path)`);
  }
  if (callback.origin !== server.origin) {
    throw configError('callbackUrl', `must be on serverUrl's origin (${server.origin}): the BFF answers the callback`);
  }

  const secrets = typeof raw.cookieSecret === 'string' ? [raw.cookieSecret] : raw.cookieSecret;
  if (!Array.isArray(secrets) || secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length < MIN_SECRET)) {
    throw configError('cookieSecret', `a secret of at least ${MIN_SECRET} characters (or a list of them, newest first) is required`);
  }

  const basePath = raw.basePath === undefined ? '/auth' : checkPath('basePath', raw.basePath);
  const proxyRaw = raw.proxy ?? {};
  if (!proxyRaw || typeof proxyRaw !== 'object' || Array.isArray(proxyRaw)) throw configError('proxy', 'an object { "/prefix": "https://upstream" } is expected');
  const proxy = Object.entries(proxyRaw as Record<string, unknown>).map(([prefix, target]) => {
    checkPath(`proxy["${prefix}"]`, prefix);
    if (prefix === basePath || prefix.startsWith(`${basePath}/`) || basePath.startsWith(`${prefix}/`)) {
      throw configError(`proxy["${prefix}"]`, `overlaps basePath ${basePath}`);
    }
    const upstream = checkUrl(`proxy["${prefix}"]`, target);
    if (upstream.search || upstream.hash || upstream.username || upstream.password) {
      throw configError(`proxy["${prefix}"]`, 'an upstream URL without query, fragment or credentials is expected');
    }
    return { prefix, upstream };
  });
  proxy.sort((a, b) => b.prefix.length - a.prefix.length);

  if (raw.store !== undefined && !isStore(raw.store)) throw configError('store', 'an object with get, set, delete and lock is expected (memoryStore(), redisStore())');
  if (raw.exposeAccessToken !== undefined && typeof raw.exposeAccessToken !== 'boolean') throw configError('exposeAccessToken', 'true or false is expected');

  return {
    cfg,
    clientSecret: raw.clientSecret,
    authMethod,
    origin: server.origin,
    secure: server.protocol === 'https:',
    basePath,
    callbackPath: callback.pathname,
    cookieSecrets: secrets as string[],
    proxy,
    store: raw.store as SessionStore | undefined,
    exposeAccessToken: raw.exposeAccessToken === true,
  };
}
