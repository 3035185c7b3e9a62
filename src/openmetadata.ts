import { notes } from './openmetadata/notes.js';
import { AUTH, AUTHZ, fail, flag, isObject, list, lookup, OIDC, oneOf, seconds, text, type Json } from './openmetadata/read.js';
import type { CognitoAuthConfig, Prompt, TokenValidationAlgorithm } from './types.js';

/**
 * OpenMetadata's `authenticationConfiguration.oidcConfiguration`: the server's own OIDC client
 * (confidential clients). A public client ignores it but for `maxAge`, `prompt`, `sessionExpiry`
 * and `maxClockSkew`; a non-empty secret in it is refused.
 */
export interface OpenMetadataOidcConfiguration {
  secret?: string;
  maxAge?: number | string;
  maxClockSkew?: number | string;
  sessionExpiry?: number | string;
  prompt?: string;
  /** `id`, `disablePkce`, `responseType`, `callbackUrl`, `clientAuthenticationMethod`, ...: the server's. */
  [field: string]: unknown;
}

/**
 * OpenMetadata's `authenticationConfiguration`: the reply of `/api/v1/system/config/auth`, the
 * section of `conf/openmetadata.yaml` or of the stored settings, or the flat field summary of
 * OpenMetadata's docs (OIDC and authorizer fields at top level).
 */
export interface OpenMetadataAuthenticationConfiguration extends OpenMetadataAuthorizerConfiguration {
  /** `aws-cognito` (any case); absent means Cognito. */
  provider?: string;
  /** `public`; `confidential` is refused (a browser is a public client). */
  clientType?: string;
  /** `id_token` (OpenMetadata's default) or `code`: either way the SDK uses the code flow with PKCE. */
  responseType?: string;
  authority?: string;
  clientId?: string;
  /** Empty or relative: `{origin}/callback`, as OpenMetadata's UI does. */
  callbackUrl?: string;
  publicKeyUrls?: string[] | string;
  tokenValidationAlgorithm?: string;
  jwtPrincipalClaims?: string[] | string;
  jwtPrincipalClaimsMapping?: string[] | string;
  /** OpenMetadata's email-first flow: the claim holding the user's email. */
  emailClaim?: string;
  sessionExpiry?: number | string;
  /** The flat summary's OIDC fields. */
  discoveryUri?: string;
  scope?: string;
  prompt?: string;
  maxAge?: number | string;
  maxClockSkew?: number | string;
  preferredJwsAlgorithm?: string;
  disablePkce?: boolean | string;
  /** Refused: a browser app is a public client. */
  clientSecret?: string;
  oidcConfiguration?: OpenMetadataOidcConfiguration | null;
}

/** OpenMetadata's `authorizerConfiguration` (`/api/v1/system/config/authorizer` serves `principalDomain` only). */
export interface OpenMetadataAuthorizerConfiguration {
  adminPrincipals?: string[] | string;
  adminEmails?: string[] | string;
  principalDomain?: string;
  enforcePrincipalDomain?: boolean | string;
  allowedDomains?: string[] | string;
  allowedEmailDomains?: string[] | string;
  /** `true` is refused: the SDK does not follow the token's `roles` claim. */
  useRolesFromProvider?: boolean | string;
  /** `className`, `containerRequestFilter`, `botDomain`, ...: the server's. */
  [field: string]: unknown;
}

export interface OpenMetadataOptions {
  /** The app's origin, for an empty or relative `callbackUrl` (default: the page's). */
  origin?: string;
  /** Say with `console.warn` what was left out, upgraded or is a trap (README "OpenMetadata"). */
  debug?: boolean;
}

const DISCOVERY_SUFFIX = '/.well-known/openid-configuration';
/** OpenMetadata's own key set: it signs OpenMetadata's bot tokens, never a Cognito token. */
const OM_JWKS = '/api/v1/system/config/jwks';
const ALGORITHMS: readonly TokenValidationAlgorithm[] = ['RS256', 'RS384', 'RS512'];
const PROMPTS: readonly Prompt[] = ['none', 'login', 'consent', 'select_account'];

function algorithm(top: Json): TokenValidationAlgorithm | undefined {
  const pick = (key: string) => {
    const found = lookup(key, [top, AUTH]);
    if (/^ES/i.test(text(found) ?? '')) fail(found!.path, 'is ES*: Cognito signs with RS256');
    return oneOf(found, ALGORITHMS, (s) => s.toUpperCase());
  };
  const validation = pick('tokenValidationAlgorithm');
  const preferred = pick('preferredJwsAlgorithm');
  if (validation && preferred && validation !== preferred) {
    fail(`${AUTH}.tokenValidationAlgorithm`, `is ${validation} but preferredJwsAlgorithm is ${preferred}: the SDK accepts exactly one algorithm`);
  }
  return validation ?? preferred;
}

/** The authority, checked against a top-level `discoveryUri` (or derived from it when absent). */
function authorityOf(top: Json): string {
  const authority = text(lookup('authority', [top, AUTH]));
  const discovery = lookup('discoveryUri', [top, AUTH]);
  const discoveryUri = text(discovery);
  if (!discoveryUri) return authority ?? fail(`${AUTH}.authority`, 'is missing: set it to https://cognito-idp.{region}.amazonaws.com/{userPoolId}');
  if (!authority && discoveryUri.endsWith(DISCOVERY_SUFFIX)) return discoveryUri.slice(0, -DISCOVERY_SUFFIX.length);
  const expected = `${(authority ?? '').replace(/\/+$/, '')}${DISCOVERY_SUFFIX}`;
  return discoveryUri === expected ? authority! : fail(discovery!.path, `is '${discoveryUri}' but must be the authority's discovery document '${expected}'`);
}

/** An empty or root-relative callbackUrl becomes `{origin}/callback`, as OpenMetadata's UI does. */
function callbackOf(top: Json, options: OpenMetadataOptions): string {
  const callback = text(lookup('callbackUrl', [top, AUTH])) ?? '/callback';
  if (!callback.startsWith('/')) return callback;
  const origin = options.origin ?? globalThis.location?.origin;
  return origin
    ? new URL(callback, origin).href
    : fail(`${AUTH}.callbackUrl`, 'is relative and there is no page: pass { origin }');
}

/**
 * Turn OpenMetadata's Cognito settings into a {@link CognitoAuthConfig} for `createCognitoAuth`,
 * deciding users as OpenMetadata's server does (README "OpenMetadata" says what each field does).
 *
 * Takes `authenticationConfiguration` as `/api/v1/system/config/auth` serves it, as the yaml or
 * stored-settings section, or the docs' flat summary (the whole yaml document works too), and
 * `authorizerConfiguration`. Current OpenMetadata serves only `principalDomain` from
 * `/config/authorizer`: pass `adminPrincipals`, `adminEmails`, `enforcePrincipalDomain` and the
 * domain lists yourself in the second argument; absent, none is assumed.
 *
 * @throws AuthError `invalid_config` for another provider, `clientType: confidential`, a client
 * secret, an ES* algorithm, `useRolesFromProvider: true`, a malformed value or a missing authority
 * or client id; the message names the field.
 *
 * @example
 * const [authn, authz] = await Promise.all(
 *   ['auth', 'authorizer'].map((s) => fetch(`/api/v1/system/config/${s}`).then((r) => r.json())),
 * );
 * const auth = createCognitoAuth({
 *   ...fromOpenMetadataConfig(authn, { ...authz, adminPrincipals: ['alice'] }, { debug: true }),
 *   domain: 'https://myapp.auth.us-east-1.amazoncognito.com', // OpenMetadata has no field for it
 * });
 */
export function fromOpenMetadataConfig(
  auth: OpenMetadataAuthenticationConfiguration,
  authorizer?: OpenMetadataAuthorizerConfiguration,
  options: OpenMetadataOptions = {},
): CognitoAuthConfig {
  if (!isObject(auth)) return fail(AUTH, 'must be an object');
  const whole = isObject(auth[AUTH]);
  const top = (whole ? auth[AUTH] : auth) as Json;
  const authz = (authorizer ?? (whole && isObject(auth[AUTHZ]) ? auth[AUTHZ] : {})) as Json;
  // For a public client the oidcConfiguration block is the server's: only these fields are read from it.
  const oidc = (isObject(top.oidcConfiguration) ? top.oidcConfiguration : {}) as Json;
  const field = (key: string) => lookup(key, [top, AUTH], [oidc, OIDC]);
  const either = (key: string) => lookup(key, [authz, AUTHZ], [top, AUTH]);

  const provider = text(lookup('provider', [top, AUTH]));
  if (provider && provider.toLowerCase() !== 'aws-cognito') {
    fail(`${AUTH}.provider`, `is '${provider}': only aws-cognito is supported`);
  }
  if (text(lookup('clientType', [top, AUTH]))?.toLowerCase() === 'confidential') {
    fail(`${AUTH}.clientType`, 'is confidential: a browser needs a public Cognito app client, without a secret; create one and use it here');
  }
  for (const found of [lookup('clientSecret', [top, AUTH]), lookup('secret', [top, AUTH], [oidc, OIDC])]) {
    if (found) fail(found.path, 'is set: a browser app is a public client and holds no secret');
  }
  const responseType = lookup('responseType', [top, AUTH]);
  oneOf(responseType, ['code', 'id_token'], (s) => s.toLowerCase());
  if (flag(lookup('disablePkce', [top, AUTH]))) fail(`${AUTH}.disablePkce`, 'is true: PKCE cannot be turned off');
  if (flag(either('useRolesFromProvider'))) {
    fail(`${AUTHZ}.useRolesFromProvider`, "is true: the token's roles claim is not followed here; pass false");
  }

  const mapping = list(lookup('jwtPrincipalClaimsMapping', [top, AUTH]));
  const named = new Set(mapping?.map((entry) => entry.split(':')[0]));
  let claims = list(lookup('jwtPrincipalClaims', [top, AUTH]));
  let allowedDomains = list(either('allowedDomains'));
  let enforce = flag(either('enforcePrincipalDomain'));
  const emailDomains = list(either('allowedEmailDomains'));
  // OpenMetadata's email-first flow (JwtIdentityResolver): the email claim names the user unless a
  // mapping does, and allowedEmailDomains then decides the domain.
  const emailClaim = !(named.has('username') && named.has('email')) && text(lookup('emailClaim', [top, AUTH]));
  if (emailClaim) {
    claims = [emailClaim, ...(claims ?? ['email', 'cognito:username', 'sub']).filter((c) => c !== emailClaim)];
    if (emailDomains?.length) [allowedDomains, enforce] = [emailDomains, true];
  }
  const urls = list(lookup('publicKeyUrls', [top, AUTH])) ?? [];
  const isOm = (url: string) => url.replace(/\/+$/, '').endsWith(OM_JWKS);
  const keys = urls.filter((url) => !isOm(url));
  const maxAge = seconds(field('maxAge'));
  const sorted = (l?: string[]) => l && [...l].sort()[0];
  const optional: Partial<CognitoAuthConfig> = {
    publicKeyUrls: keys.length ? keys : undefined,
    tokenValidationAlgorithm: algorithm(top),
    scopes: text(lookup('scope', [top, AUTH])),
    prompt: oneOf(field('prompt'), PROMPTS, (s) => s.toLowerCase()),
    // 0, OpenMetadata's old default, means unset: enforcing it would refuse every session.
    maxAge: maxAge || undefined,
    maxClockSkew: seconds(field('maxClockSkew')),
    sessionExpiry: seconds(field('sessionExpiry')),
    jwtPrincipalClaims: claims,
    jwtPrincipalClaimsMapping: mapping,
    adminPrincipals: list(either('adminPrincipals')),
    adminEmails: list(either('adminEmails')),
    // SecurityUtil.resolvePrincipalDomain: principalDomain, else the first allowed email domain, else allowed domain.
    principalDomain: text(either('principalDomain')) ?? sorted(emailDomains) ?? sorted(allowedDomains),
    enforcePrincipalDomain: enforce,
    allowedDomains,
  };
  const config: CognitoAuthConfig = {
    authority: authorityOf(top),
    clientId: text(lookup('clientId', [top, AUTH])) ?? fail(`${AUTH}.clientId`, 'is missing: set it to the Cognito app client id'),
    callbackUrl: callbackOf(top, options),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(config, { [key]: value });
  }
  if (options.debug) notes(config, text(responseType), urls.filter(isOm));
  return config;
}
