import { AuthError } from './errors.js';
import type { CognitoAuthConfig, Prompt, StorageLike, TokenValidationAlgorithm } from './types.js';

/** The config after validation: every default filled in, every URL checked. */
export interface NormalizedConfig {
  authority: string;
  /** Every issuer accepted: `authority`, then the configured `issuers` (replicas of the same pool). */
  issuers: string[];
  clientId: string;
  callbackUrl: string;
  domain?: string;
  logoutUrl: string;
  publicKeyUrls: string[];
  alg: TokenValidationAlgorithm;
  scope: string;
  prompt?: Prompt;
  maxAge?: number;
  skew: number;
  sessionExpiry: number;
  storage: 'session' | 'local' | 'memory' | StorageLike;
  silentRenew: boolean;
  renewLeadTime: number;
  principalClaims: string[];
  claimsMapping: Array<[field: string, claim: string]>;
  /** The mapping's `username` and `email` claims, when it names the user (OpenMetadata's mapping). */
  identity?: [username: string, email: string];
  adminPrincipals: string[];
  adminEmails: string[];
  principalDomain?: string;
  enforcePrincipalDomain: boolean;
  /** The domains a user must have: set when enforcePrincipalDomain is (allowedDomains, else principalDomain). */
  domains?: string[];
  timeout: number;
  navigate?: (url: string) => void;
  debug: boolean;
  idleTimeout?: number;
  identityPoolId?: string;
  customRoleArn?: string;
}

/** Cognito's endpoints, derived from `domain` or read from discovery. */
export interface Endpoints {
  authorize: string;
  token: string;
  revoke: string;
  logout: string;
  userInfo: string;
}

const KNOWN = new Set<string>([
  'authority', 'issuers', 'clientId', 'callbackUrl', 'domain', 'logoutUrl', 'publicKeyUrls', 'tokenValidationAlgorithm',
  'scopes', 'prompt', 'maxAge', 'maxClockSkew', 'sessionExpiry', 'storage', 'silentRenew', 'renewLeadTime',
  'jwtPrincipalClaims', 'jwtPrincipalClaimsMapping', 'adminPrincipals', 'principalDomain',
  'enforcePrincipalDomain', 'requestTimeout', 'navigate', 'debug', 'idleTimeout',
  'adminEmails', 'allowedDomains', 'identityPoolId', 'customRoleArn',
]);

/** Fields of OpenMetadata's Cognito config that a browser must refuse, and why. */
const PUBLIC = 'a browser app is a public client and cannot keep a secret: use an app client without one';
const REFUSED: Record<string, string> = { clientSecret: PUBLIC, secret: PUBLIC };

export const PROMPTS: readonly Prompt[] = ['none', 'login', 'consent', 'select_account'];
const ALGS: readonly TokenValidationAlgorithm[] = ['RS256', 'RS384', 'RS512'];
/** Default tolerance on exp / iat / auth_time, in seconds. */
export const DEFAULT_CLOCK_SKEW = 120;

export const configError = (field: string, expected: string): AuthError =>
  new AuthError('invalid_config', `config.${field}: ${expected}`);

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/** Parse an absolute URL that must be https, or http on a loopback host. */
export function checkUrl(field: string, value: unknown): URL {
  if (typeof value !== 'string' || value === '') throw configError(field, 'a URL is required');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(field, `"${value}" is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw configError(field, `"${value}" must use https (http is allowed on loopback only)`);
  }
  return url;
}

/**
 * A URL Cognito compares with its allowed URLs as a string (`redirect_uri`, `logout_uri`): checked,
 * then kept as written, but for surrounding whitespace (a value read from a file or the environment).
 */
export const asWritten = (field: string, value: unknown): string => (checkUrl(field, value), (value as string).trim());

const trimSlash = (s: string): string => s.replace(/\/+$/, '');

/** The user pool id an issuer URL names: its last path segment (`us-east-1_AbC123`). */
const poolId = (issuer: string): string => new URL(issuer).pathname.split('/').pop() ?? '';

/** A further issuer of the same pool (a Multi-Region replica): its URL, checked. */
function replicaOf(authority: string, value: string, i: number): string {
  const issuer = trimSlash(checkUrl(`issuers[${i}]`, value).href);
  const pool = poolId(authority);
  if (!pool || poolId(issuer) !== pool) throw configError(`issuers[${i}]`, `"${value}" must be an issuer of the same user pool as authority (${pool || 'authority names no pool id'})`);
  return issuer;
}

function stringList(field: string, value: unknown, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    throw configError(field, 'an array of non-empty strings is expected');
  }
  return value as string[];
}

function seconds(field: string, value: unknown, unit = 'seconds'): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw configError(field, `a number of ${unit} >= 0 is expected`);
  }
  return value;
}

function bool(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw configError(field, 'true or false is expected');
  return value;
}

/** Split scopes given as a string or an array into one space-separated string. */
export function scopeString(field: string, value: unknown): string {
  const list = typeof value === 'string' ? value.split(/\s+/) : Array.isArray(value) ? value : null;
  if (!list || list.some((s) => typeof s !== 'string')) throw configError(field, 'a string or an array of strings is expected');
  const scopes = (list as string[]).filter(Boolean);
  if (!scopes.includes('openid')) throw configError(field, 'must contain "openid"');
  return scopes.join(' ');
}

export function checkPrompt(field: string, value: unknown): Prompt | undefined {
  if (value === undefined) return undefined;
  if (!PROMPTS.includes(value as Prompt)) throw configError(field, `one of ${PROMPTS.join(', ')} is expected`);
  return value as Prompt;
}

function storageOption(value: unknown): NormalizedConfig['storage'] {
  if (value === undefined) return 'session';
  if (value === 'session' || value === 'local' || value === 'memory') return value;
  const s = value as StorageLike | null;
  if (s && typeof s === 'object' && typeof s.getItem === 'function' && typeof s.setItem === 'function' && typeof s.removeItem === 'function') {
    return s;
  }
  throw configError('storage', "'session', 'local', 'memory' or an object with getItem/setItem/removeItem is expected");
}

function mapping(value: unknown): Array<[string, string]> {
  return stringList('jwtPrincipalClaimsMapping', value, []).map((entry) => {
    const i = entry.indexOf(':'); // the first colon only: "username:cognito:username"
    if (i <= 0 || i === entry.length - 1) {
      throw configError('jwtPrincipalClaimsMapping', `"${entry}" must be "field:claim"`);
    }
    return [entry.slice(0, i), entry.slice(i + 1)];
  });
}

/**
 * Validate a user's config and fill in the defaults.
 * Throws `AuthError('invalid_config')` naming the first wrong field.
 */
export function normalizeConfig(input: CognitoAuthConfig): NormalizedConfig {
  if (!input || typeof input !== 'object') throw configError('(root)', 'an object is expected');
  const raw = input as unknown as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (key in REFUSED && raw[key] !== undefined && raw[key] !== '') throw configError(key, REFUSED[key] as string);
    if (key === 'responseType' && raw[key] !== undefined && raw[key] !== 'code') {
      throw configError(key, 'only "code" (with PKCE): the implicit flow puts tokens in URLs');
    }
    if (key === 'disablePkce' && raw[key] === true) throw configError(key, 'PKCE is always on for a public client');
    if (!KNOWN.has(key) && key !== 'responseType' && key !== 'disablePkce' && !(key in REFUSED)) {
      throw configError(key, 'unknown field');
    }
  }
  const authority = trimSlash(checkUrl('authority', raw.authority).href);
  if (typeof raw.clientId !== 'string' || !raw.clientId.trim()) throw configError('clientId', 'the app client id is required');
  const callback = checkUrl('callbackUrl', raw.callbackUrl);
  const domain = raw.domain === undefined ? undefined : trimSlash(checkUrl('domain', raw.domain).href);
  // Cognito compares redirect_uri and logout_uri with the allowed URLs as strings: both are sent
  // as written, never re-serialised ("https://app.example.com" is not "https://app.example.com/").
  const logoutUrl = raw.logoutUrl === undefined ? `${callback.origin}/` : asWritten('logoutUrl', raw.logoutUrl);
  const issuers = [authority, ...stringList('issuers', raw.issuers, []).map((u, i) => replicaOf(authority, u, i))];
  const publicKeyUrls = stringList('publicKeyUrls', raw.publicKeyUrls, issuers.map((i) => `${i}/.well-known/jwks.json`));
  publicKeyUrls.forEach((u, i) => checkUrl(`publicKeyUrls[${i}]`, u));
  if (publicKeyUrls.length === 0) throw configError('publicKeyUrls', 'at least one JWKS URL is expected');
  const alg = (raw.tokenValidationAlgorithm ?? 'RS256') as TokenValidationAlgorithm;
  if (!ALGS.includes(alg)) throw configError('tokenValidationAlgorithm', `one of ${ALGS.join(', ')} is expected`);
  const principalDomain = raw.principalDomain;
  if (principalDomain !== undefined && (typeof principalDomain !== 'string' || !principalDomain)) {
    throw configError('principalDomain', 'a domain such as "company.com" is expected');
  }
  const enforce = bool('enforcePrincipalDomain', raw.enforcePrincipalDomain, false);
  const lower = (field: string): string[] => stringList(field, raw[field], []).map((v) => v.toLowerCase());
  const allowedDomains = lower('allowedDomains');
  if (enforce && !principalDomain && !allowedDomains.length) throw configError('enforcePrincipalDomain', 'needs principalDomain');
  const claimsMapping = mapping(raw.jwtPrincipalClaimsMapping);
  // A mapping names the user only with both keys, as OpenMetadata requires (SecurityUtil.validatePrincipalClaimsMapping);
  // otherwise its pairs only fill `attributes` (README "How a user is decided").
  const { username, email } = Object.fromEntries(claimsMapping);
  if (raw.navigate !== undefined && typeof raw.navigate !== 'function') throw configError('navigate', 'a function is expected');
  const timeout = seconds('requestTimeout', raw.requestTimeout, 'milliseconds') ?? 10_000;
  /** An optional string field that must match `re`. */
  const shaped = (field: string, re: RegExp, expected: string): string | undefined => {
    const v = raw[field];
    if (v !== undefined && !(typeof v === 'string' && re.test(v))) throw configError(field, `${expected} is expected`);
    return v as string | undefined;
  };
  return {
    authority,
    issuers,
    clientId: raw.clientId.trim(),
    callbackUrl: asWritten('callbackUrl', raw.callbackUrl),
    domain,
    logoutUrl,
    publicKeyUrls,
    alg,
    scope: raw.scopes === undefined ? 'openid email profile' : scopeString('scopes', raw.scopes),
    prompt: checkPrompt('prompt', raw.prompt),
    maxAge: seconds('maxAge', raw.maxAge),
    skew: seconds('maxClockSkew', raw.maxClockSkew) ?? DEFAULT_CLOCK_SKEW,
    sessionExpiry: seconds('sessionExpiry', raw.sessionExpiry) ?? 604_800,
    storage: storageOption(raw.storage),
    silentRenew: bool('silentRenew', raw.silentRenew, true),
    renewLeadTime: seconds('renewLeadTime', raw.renewLeadTime) ?? 60,
    // OpenMetadata's default for Cognito (awsCognitoSSOClientConfig.md).
    principalClaims: stringList('jwtPrincipalClaims', raw.jwtPrincipalClaims, ['email', 'cognito:username', 'sub']),
    claimsMapping,
    identity: username && email ? [username, email] : undefined,
    adminPrincipals: lower('adminPrincipals'),
    adminEmails: lower('adminEmails'),
    principalDomain: principalDomain?.toLowerCase(),
    enforcePrincipalDomain: enforce,
    domains: enforce ? (allowedDomains.length ? allowedDomains : [principalDomain!.toLowerCase()]) : undefined,
    timeout,
    navigate: raw.navigate as NormalizedConfig['navigate'],
    debug: bool('debug', raw.debug, false),
    idleTimeout: seconds('idleTimeout', raw.idleTimeout),
    // The identity pool's fields, by the shapes AWS documents for them.
    identityPoolId: shaped('identityPoolId', /^[\w-]+:[\da-f-]+$/, '"{region}:{uuid}"'),
    customRoleArn: shaped('customRoleArn', /^arn:/, 'an IAM role ARN'),
  };
}

/** Cognito's endpoints on the hosted-UI domain. */
export const domainEndpoints = (domain: string): Endpoints => ({
  authorize: `${domain}/oauth2/authorize`,
  token: `${domain}/oauth2/token`,
  revoke: `${domain}/oauth2/revoke`,
  logout: `${domain}/logout`,
  userInfo: `${domain}/oauth2/userInfo`,
});
