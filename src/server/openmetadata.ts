import {
  fromOpenMetadataConfig,
  type OpenMetadataAuthenticationConfiguration,
  type OpenMetadataAuthorizerConfiguration,
} from '../openmetadata.js';
import { AUTH, AUTHZ, fail, isObject, lookup, OIDC, text, type Json } from '../openmetadata/read.js';
import type { ClientAuthenticationMethod, CognitoBffConfig } from './types.js';

/** The BFF config that OpenMetadata's settings give: everything but the app's own `cookieSecret`. */
export type OpenMetadataBffConfig = Omit<CognitoBffConfig, 'cookieSecret'>;

export interface OpenMetadataServerOptions {
  /** Where each note goes: a field dropped because it means nothing here (default `console.warn`). */
  onNote?: (note: string) => void;
  /** Also say what the shared conversion upgraded or left out, and OpenMetadata's traps (`console.warn`). */
  debug?: boolean;
}

/** The confidential client's own fields: the BFF takes them; the browser's conversion would refuse them. */
const SERVER_FIELDS = ['secret', 'clientSecret', 'clientAuthenticationMethod', 'serverUrl'];
/** `oidcConfiguration` fields of OpenMetadata's server that hold what the browser's conversion reads at top level. */
const LIFTED: Record<string, string> = { id: 'clientId', clientId: 'clientId', callbackUrl: 'callbackUrl', scope: 'scope', discoveryUri: 'discoveryUri', preferredJwsAlgorithm: 'preferredJwsAlgorithm' };
/** Fields the browser's conversion (`fromOpenMetadataConfig`) reads, per section. */
const AUTHZ_READ = ['adminPrincipals', 'adminEmails', 'principalDomain', 'enforcePrincipalDomain', 'allowedDomains', 'allowedEmailDomains', 'useRolesFromProvider'];
const READ = {
  top: ['provider', 'clientType', 'authority', 'clientId', 'callbackUrl', 'publicKeyUrls', 'tokenValidationAlgorithm', 'jwtPrincipalClaims', 'jwtPrincipalClaimsMapping', 'emailClaim', 'sessionExpiry', 'discoveryUri', 'scope', 'prompt', 'maxAge', 'maxClockSkew', 'preferredJwsAlgorithm', 'oidcConfiguration', ...AUTHZ_READ],
  oidc: [...Object.keys(LIFTED), 'maxAge', 'maxClockSkew', 'sessionExpiry', 'prompt', 'responseType'],
};
/** Why some of OpenMetadata's fields mean nothing here. Any other unread field gets a generic note. */
const WHY: Record<string, string> = {
  tokenValidity: "token lifetimes are the Cognito app client's settings; the tokens' exp says them",
  useNonce: 'a nonce is always sent and checked',
  tenant: 'an Azure AD notion; Cognito has none',
  type: 'the provider is Cognito',
  customParams: 'the sign-in takes the options of signIn() (prompt, identityProvider, loginHint, lang, maxAge)',
  responseType: "it is OpenMetadata's browser setting; the BFF uses the authorization code flow",
  disablePkce: 'PKCE stays on (Cognito accepts it from a confidential client, and it protects the code)',
};

/**
 * Turn OpenMetadata's confidential-client Cognito settings into the BFF's config: its
 * `authenticationConfiguration` (the `oidcConfiguration` block with `id`, the secret,
 * `clientAuthenticationMethod`, `callbackUrl`, `serverUrl`, `sessionExpiry`; numbers as strings)
 * and `authorizerConfiguration` (or the whole yaml document as the first argument). The shared
 * fields go through the browser's `fromOpenMetadataConfig`, which decides users as OpenMetadata's
 * server does; an empty `callbackUrl` is `{serverUrl}/callback`, as OpenMetadata makes it. What
 * has no meaning with Cognito (`tokenValidity`, `tenant`, ...) is dropped, each with a note:
 * nothing is dropped silently. `disablePkce: true`, OpenMetadata's stock value, is such a note.
 *
 * @throws AuthError `invalid_config` naming the field: a missing secret, another authentication
 * method, a `responseType` other than `code`, or what the shared conversion refuses.
 *
 * @example
 * const bff = createCognitoBff({
 *   ...fromOpenMetadataServerConfig(yaml.authenticationConfiguration, yaml.authorizerConfiguration),
 *   domain: 'https://myapp.auth.us-east-1.amazoncognito.com', // OpenMetadata has no field for it
 *   cookieSecret: process.env.COOKIE_SECRET,
 * });
 */
export function fromOpenMetadataServerConfig(
  authn: OpenMetadataAuthenticationConfiguration,
  authz?: OpenMetadataAuthorizerConfiguration,
  options: OpenMetadataServerOptions = {},
): OpenMetadataBffConfig {
  const onNote = options.onNote ?? ((note: string) => console.warn(`[cognito-spa-auth/server] ${note}`));
  if (!isObject(authn)) return fail(AUTH, 'must be an object');
  const whole = isObject(authn[AUTH]);
  const top = (whole ? authn[AUTH] : authn) as Json;
  const authorizer = (authz ?? (whole && isObject(authn[AUTHZ]) ? authn[AUTHZ] : {})) as Json;
  const oidc = (isObject(top.oidcConfiguration) ? top.oidcConfiguration : {}) as Json;
  const both: Array<[Json, string]> = [[oidc, OIDC], [top, AUTH]];

  const secret = text(lookup('secret', ...both) ?? lookup('clientSecret', ...both));
  if (!secret) return fail(`${OIDC}.secret`, "is missing: the backend-for-frontend is a confidential client and needs the app client's secret");
  const method = lookup('clientAuthenticationMethod', ...both);
  const authMethod = text(method)?.toLowerCase() as ClientAuthenticationMethod | undefined;
  if (authMethod && authMethod !== 'client_secret_basic' && authMethod !== 'client_secret_post') {
    fail(method!.path, `is '${text(method)}': a Cognito app client authenticates with its secret, client_secret_basic or client_secret_post`);
  }
  const responseType = lookup('responseType', [oidc, OIDC]);
  if (text(responseType) && text(responseType)?.toLowerCase() !== 'code') fail(responseType!.path, `is '${text(responseType)}': the BFF uses the authorization code flow`);
  const serverUrl = text(lookup('serverUrl', ...both))?.replace(/\/+$/, '');

  const note = (path: string, key: string): void => onNote(`OpenMetadata ${path} is dropped: ${WHY[key] ?? 'cognito-spa-auth has no use for it'}`);
  const unread = (o: Json, read: string[], path: string): void => {
    for (const [k, v] of Object.entries(o)) {
      const same = (k === 'useNonce' && String(v) === 'true') || (k === 'disablePkce' && String(v) !== 'true') || (k === 'responseType' && String(v) === 'code');
      if (!read.includes(k) && !SERVER_FIELDS.includes(k) && v !== undefined && v !== null && v !== '' && !same) note(`${path}.${k}`, k);
    }
  };
  unread(top, READ.top, AUTH);
  unread(oidc, READ.oidc, OIDC);
  unread(authorizer, AUTHZ_READ, AUTHZ);

  // The shared fields, as the browser's conversion reads them: OpenMetadata's server keeps a
  // confidential client's id, callback, scope and discovery in oidcConfiguration.
  const shared: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(top)) if (!['clientType', 'responseType', 'disablePkce', ...SERVER_FIELDS].includes(k)) shared[k] = v;
  for (const [from, to] of Object.entries(LIFTED)) {
    const found = lookup(from, [oidc, OIDC]);
    if (found && !lookup(to, [shared, AUTH])) shared[to] = found.value;
  }
  shared.oidcConfiguration = Object.fromEntries(Object.entries(oidc).filter(([k]) => ['maxAge', 'maxClockSkew', 'sessionExpiry', 'prompt'].includes(k)));
  const base = fromOpenMetadataConfig(shared as OpenMetadataAuthenticationConfiguration, authorizer as OpenMetadataAuthorizerConfiguration, {
    ...(serverUrl ? { origin: serverUrl } : {}),
    debug: options.debug,
  });
  return { ...base, clientSecret: secret, ...(authMethod ? { clientAuthenticationMethod: authMethod } : {}), ...(serverUrl ? { serverUrl } : {}) };
}
