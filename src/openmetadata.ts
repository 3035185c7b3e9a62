import { AuthError } from './errors.js';
import type { CognitoAuthConfig, Prompt, TokenValidationAlgorithm } from './types.js';

/** OpenMetadata's `authenticationConfiguration.oidcConfiguration` (its confidential-client OIDC settings). */
export interface OpenMetadataOidcConfiguration {
  /** Client id (OpenMetadata's name for it in this section). */
  id?: string;
  secret?: string;
  clientSecret?: string;
  scope?: string | string[];
  discoveryUri?: string;
  responseType?: string;
  disablePkce?: boolean | string;
  preferredJwsAlgorithm?: string;
  maxAge?: number | string;
  maxClockSkew?: number | string;
  sessionExpiry?: number | string;
  /** Ignored: token lifetimes come from the tokens themselves. */
  tokenValidity?: number | string;
  prompt?: string;
  callbackUrl?: string;
  /** Ignored: the OpenMetadata server's own URL. */
  serverUrl?: string;
  /** Anything else (`type`, `tenant`, `useNonce`, `customParams`, ...) is server-only and dropped. */
  [field: string]: unknown;
}

/**
 * OpenMetadata's `authenticationConfiguration`: the section of `conf/openmetadata.yaml`, the reply of
 * `/api/v1/system/config/auth`, or the flat field summary (OIDC fields at top level).
 */
export interface OpenMetadataAuthenticationConfiguration extends OpenMetadataOidcConfiguration {
  /** `aws-cognito` (any case); absent means Cognito. */
  provider?: string;
  clientType?: string;
  authority?: string;
  clientId?: string;
  publicKeyUrls?: string[] | string;
  tokenValidationAlgorithm?: string;
  jwtPrincipalClaims?: string[] | string;
  jwtPrincipalClaimsMapping?: string[] | string;
  adminPrincipals?: string[] | string;
  principalDomain?: string;
  enforcePrincipalDomain?: boolean | string;
  oidcConfiguration?: OpenMetadataOidcConfiguration | null;
}

/** OpenMetadata's `authorizerConfiguration`; only the fields below matter to a browser. */
export interface OpenMetadataAuthorizerConfiguration {
  adminPrincipals?: string[] | string;
  principalDomain?: string;
  enforcePrincipalDomain?: boolean | string;
  /** `className`, `containerRequestFilter`, `enableSecureSocketConnection`, ... are dropped. */
  [field: string]: unknown;
}

type Json = Readonly<Record<string, unknown>>;
/** A field's value and where it was found, so that errors can name it. */
interface Found {
  value: unknown;
  path: string;
}

const AUTH = 'authenticationConfiguration';
const OIDC = `${AUTH}.oidcConfiguration`;
const AUTHZ = 'authorizerConfiguration';
const DISCOVERY_SUFFIX = '/.well-known/openid-configuration';
const ALGORITHMS: readonly TokenValidationAlgorithm[] = ['RS256', 'RS384', 'RS512'];
const PROMPTS: readonly Prompt[] = ['none', 'login', 'consent', 'select_account'];
const PUBLIC_CLIENT =
  'a browser app is a public client; remove the secret and use an app client without one';

const fail = (path: string, why: string): never => {
  throw new AuthError('invalid_config', `OpenMetadata ${path} ${why}`);
};
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
// yaml and environment defaults leave `""` or `null` for unset fields: they count as absent.
const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

function lookup(key: string, ...sources: ReadonlyArray<[Json, string]>): Found | undefined {
  for (const [source, prefix] of sources) {
    if (isSet(source[key])) return { value: source[key], path: `${prefix}.${key}` };
  }
  return undefined;
}

function text(f: Found | undefined): string | undefined {
  if (f === undefined) return undefined;
  if (typeof f.value !== 'string') return fail(f.path, 'must be a string');
  const v = f.value.trim();
  return v === '' ? undefined : v;
}

/** Numbers may arrive as strings ("3600"), as OpenMetadata's schema types several of them. */
function seconds(f: Found | undefined): number | undefined {
  if (f === undefined) return undefined;
  const n = typeof f.value === 'string' && f.value.trim() !== '' ? Number(f.value) : f.value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return fail(f.path, `must be a number of seconds, not ${JSON.stringify(f.value)}`);
  return n;
}

function flag(f: Found | undefined): boolean | undefined {
  if (f === undefined) return undefined;
  if (typeof f.value === 'boolean') return f.value;
  const v = typeof f.value === 'string' ? f.value.trim().toLowerCase() : '';
  if (v === 'true' || v === 'false') return v === 'true';
  return fail(f.path, `must be true or false, not ${JSON.stringify(f.value)}`);
}

/** A list, or one comma-separated string (as an environment variable gives it). */
function list(f: Found | undefined): string[] | undefined {
  if (f === undefined) return undefined;
  const items = typeof f.value === 'string' ? f.value.replace(/^\[|\]$/g, '').split(',') : f.value;
  if (!Array.isArray(items) || !items.every((i) => typeof i === 'string')) return fail(f.path, 'must be a list of strings');
  return items.map((i: string) => i.trim()).filter((i) => i !== '');
}

function oneOf<T extends string>(f: Found | undefined, allowed: readonly T[], normalise: (s: string) => string): T | undefined {
  const v = text(f);
  if (v === undefined || f === undefined) return undefined;
  const n = normalise(v);
  return (allowed as readonly string[]).includes(n) ? (n as T) : fail(f.path, `is '${v}'; expected one of ${allowed.join(', ')}`);
}

/** Refuse what a browser must not or cannot honour, saying why. */
function refuseServerOnly(top: Json, oidc: Json): void {
  const sources: Array<[Json, string]> = [[top, AUTH], [oidc, OIDC]];
  const confidential = text(lookup('clientType', [top, AUTH]))?.toLowerCase() === 'confidential';
  for (const key of ['secret', 'clientSecret']) {
    for (const [source, prefix] of sources) {
      const found = lookup(key, [source, prefix]);
      if (found !== undefined && (typeof found.value !== 'string' || found.value.trim() !== '')) {
        fail(found.path, `is set${confidential ? " (clientType 'confidential')" : ''}: ${PUBLIC_CLIENT}`);
      }
    }
  }
  for (const [source, prefix] of sources) {
    const responseType = text(lookup('responseType', [source, prefix]));
    if (responseType !== undefined && responseType.toLowerCase() !== 'code') {
      fail(`${prefix}.responseType`, `is '${responseType}' (implicit flow): tokens in the URL are refused; cognito-spa-auth uses the authorization code flow with PKCE, so set it to 'code'`);
    }
    if (flag(lookup('disablePkce', [source, prefix])) === true) {
      fail(`${prefix}.disablePkce`, 'is true: PKCE is what protects a public client\'s authorization code and cannot be turned off; set it to false');
    }
  }
}

function algorithm(top: Json, oidc: Json): TokenValidationAlgorithm | undefined {
  const upper = (s: string): string => s.toUpperCase();
  const validation = oneOf(lookup('tokenValidationAlgorithm', [top, AUTH]), ALGORITHMS, upper);
  const preferred = oneOf(lookup('preferredJwsAlgorithm', [top, AUTH], [oidc, OIDC]), ALGORITHMS, upper);
  if (validation !== undefined && preferred !== undefined && validation !== preferred) {
    fail(`${AUTH}.tokenValidationAlgorithm`, `is ${validation} but preferredJwsAlgorithm is ${preferred}: the SDK accepts exactly one algorithm`);
  }
  return validation ?? preferred;
}

/** The authority, checked against `discoveryUri` (or derived from it when absent). */
function authorityOf(top: Json, oidc: Json): string {
  const authority = text(lookup('authority', [top, AUTH]));
  const discovery = lookup('discoveryUri', [top, AUTH], [oidc, OIDC]);
  const discoveryUri = text(discovery);
  if (discoveryUri === undefined || discovery === undefined) return authority ?? fail(`${AUTH}.authority`, 'is missing: set it to https://cognito-idp.{region}.amazonaws.com/{userPoolId}');
  if (authority === undefined && discoveryUri.endsWith(DISCOVERY_SUFFIX)) return discoveryUri.slice(0, -DISCOVERY_SUFFIX.length);
  const expected = `${(authority ?? '').replace(/\/+$/, '')}${DISCOVERY_SUFFIX}`;
  if (discoveryUri !== expected) fail(discovery.path, `is '${discoveryUri}' but must be the authority's discovery document '${expected}'`);
  return authority ?? expected;
}

/** Accept the whole yaml document too: `{ authenticationConfiguration, authorizerConfiguration }`. */
function sections(auth: Json, authorizer: Json | undefined): [Json, Json] {
  if (isObject(auth[AUTH])) return [auth[AUTH], authorizer ?? (isObject(auth[AUTHZ]) ? auth[AUTHZ] : {})];
  return [auth, authorizer ?? {}];
}

/**
 * Turn OpenMetadata's Cognito SSO settings into a {@link CognitoAuthConfig} for `createCognitoAuth`.
 *
 * Takes `authenticationConfiguration` (yaml section, `/api/v1/system/config/auth` reply, or the flat
 * field summary) and optionally `authorizerConfiguration` (`/api/v1/system/config/authorizer`);
 * passing the whole yaml document as the first argument works too. Maps authority, clientId,
 * callbackUrl, publicKeyUrls, the principal claims and mapping, adminPrincipals, principalDomain,
 * enforcePrincipalDomain (the authorizer's value wins) and the OIDC fields (top level, or nested in
 * `oidcConfiguration`): scope, prompt, maxAge, maxClockSkew, sessionExpiry,
 * tokenValidationAlgorithm / preferredJwsAlgorithm. Server-only fields are dropped; `tokenValidity`
 * is ignored (lifetimes come from the tokens). A `maxAge` of 0, OpenMetadata's stock default, means
 * unset: Cognito ignores it, and enforcing it would refuse every session. Placeholders such as
 * `{User Pool ID}` are kept for `createCognitoAuth` to judge.
 *
 * @throws AuthError `invalid_config` for another provider, a client secret (a browser app is a public
 * client), a `responseType` other than `code`, `disablePkce: true`, a `discoveryUri` that is not
 * `authority + '/.well-known/openid-configuration'`, or a malformed value; the message names the field.
 *
 * @example
 * const [authn, authz] = await Promise.all(
 *   ['auth', 'authorizer'].map((s) => fetch(`/api/v1/system/config/${s}`).then((r) => r.json())),
 * );
 * const auth = createCognitoAuth({
 *   ...fromOpenMetadataConfig(authn, authz),
 *   domain: 'https://myapp.auth.us-east-1.amazoncognito.com', // OpenMetadata has no field for it
 * });
 */
export function fromOpenMetadataConfig(
  auth: OpenMetadataAuthenticationConfiguration,
  authorizer?: OpenMetadataAuthorizerConfiguration,
): CognitoAuthConfig {
  if (!isObject(auth)) return fail(AUTH, 'must be an object');
  const [top, authz] = sections(auth, authorizer);
  const oidc = isObject(top.oidcConfiguration) ? top.oidcConfiguration : {};
  const provider = text(lookup('provider', [top, AUTH]));
  if (provider !== undefined && provider.toLowerCase() !== 'aws-cognito') {
    fail(`${AUTH}.provider`, `is '${provider}': cognito-spa-auth signs in with Amazon Cognito only (provider 'aws-cognito')`);
  }
  refuseServerOnly(top, oidc);

  const either = (key: string): Found | undefined => lookup(key, [authz, AUTHZ], [top, AUTH]);
  const maxAge = seconds(lookup('maxAge', [top, AUTH], [oidc, OIDC]));
  const clientId = text(lookup('clientId', [top, AUTH]) ?? lookup('id', [oidc, OIDC]) ?? lookup('clientId', [oidc, OIDC]));
  const callbackUrl = text(lookup('callbackUrl', [top, AUTH], [oidc, OIDC]));
  const optional: Partial<CognitoAuthConfig> = {
    publicKeyUrls: list(lookup('publicKeyUrls', [top, AUTH])),
    tokenValidationAlgorithm: algorithm(top, oidc),
    scopes: text(lookup('scope', [top, AUTH], [oidc, OIDC])),
    prompt: oneOf(lookup('prompt', [top, AUTH], [oidc, OIDC]), PROMPTS, (s) => s.toLowerCase()),
    maxAge: maxAge === 0 ? undefined : maxAge,
    maxClockSkew: seconds(lookup('maxClockSkew', [top, AUTH], [oidc, OIDC])),
    sessionExpiry: seconds(lookup('sessionExpiry', [top, AUTH], [oidc, OIDC])),
    jwtPrincipalClaims: list(lookup('jwtPrincipalClaims', [top, AUTH])),
    jwtPrincipalClaimsMapping: list(lookup('jwtPrincipalClaimsMapping', [top, AUTH])),
    adminPrincipals: list(either('adminPrincipals')),
    principalDomain: text(either('principalDomain')),
    enforcePrincipalDomain: flag(either('enforcePrincipalDomain')),
  };
  const config: CognitoAuthConfig = {
    authority: authorityOf(top, oidc),
    clientId: clientId ?? fail(`${AUTH}.clientId`, 'is missing: set it to the Cognito app client id'),
    callbackUrl: callbackUrl ?? fail(`${AUTH}.callbackUrl`, "is missing: set it to the app's /callback URL"),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(config, { [key]: value });
  }
  return config;
}
