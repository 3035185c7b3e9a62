import { AuthError } from '../errors.js';
import {
  fromOpenMetadataConfig,
  type OpenMetadataAuthenticationConfiguration,
  type OpenMetadataAuthorizerConfiguration,
} from '../openmetadata.js';
import type { ClientAuthenticationMethod, CognitoBffConfig } from './types.js';

/** The BFF config that OpenMetadata's settings give: everything but the app's own `cookieSecret`. */
export type OpenMetadataBffConfig = Omit<CognitoBffConfig, 'cookieSecret'>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** The confidential client's fields, which the browser's conversion refuses and the BFF takes. */
const SERVER_FIELDS = ['secret', 'clientSecret', 'clientAuthenticationMethod', 'serverUrl'];
/** Fields the browser's conversion (`fromOpenMetadataConfig`) reads, per section. */
const READ = {
  top: ['provider', 'clientType', 'authority', 'clientId', 'callbackUrl', 'publicKeyUrls', 'tokenValidationAlgorithm', 'jwtPrincipalClaims', 'jwtPrincipalClaimsMapping', 'adminPrincipals', 'principalDomain', 'enforcePrincipalDomain', 'discoveryUri', 'preferredJwsAlgorithm', 'scope', 'prompt', 'maxAge', 'maxClockSkew', 'sessionExpiry', 'oidcConfiguration', 'responseType', 'disablePkce'],
  oidc: ['id', 'clientId', 'discoveryUri', 'preferredJwsAlgorithm', 'scope', 'prompt', 'maxAge', 'maxClockSkew', 'sessionExpiry', 'callbackUrl', 'responseType', 'disablePkce'],
  authz: ['adminPrincipals', 'principalDomain', 'enforcePrincipalDomain'],
};
/** Why some of OpenMetadata's fields mean nothing here. Any other unread field gets a generic note. */
const WHY: Record<string, string> = {
  tokenValidity: "token lifetimes are the Cognito app client's settings; the tokens' exp says them",
  useNonce: 'a nonce is always sent and checked',
  tenant: 'an Azure AD notion; Cognito has none',
  type: 'the provider is Cognito',
  customParams: 'the sign-in takes the options of signIn() (prompt, identityProvider, loginHint, lang, maxAge)',
  enableSecureSocketConnection: "OpenMetadata's own setting",
};

const fail = (path: string, why: string): never => {
  throw new AuthError('invalid_config', `OpenMetadata ${path} ${why}`);
};

function pick(key: string, ...sources: Array<[Json, string]>): { value: string; path: string } | undefined {
  for (const [source, path] of sources) {
    const v = source[key];
    if (!isSet(v)) continue;
    if (typeof v !== 'string') return fail(`${path}.${key}`, 'must be a string');
    return { value: v.trim(), path: `${path}.${key}` };
  }
  return undefined;
}

const without = (o: Json, keys: string[]): Json => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/**
 * Turn OpenMetadata's confidential-client Cognito settings into the BFF's config: its
 * `authenticationConfiguration` (the `oidcConfiguration` block with the secret,
 * `clientAuthenticationMethod`, `callbackUrl`, `serverUrl`, `sessionExpiry`, numbers as strings)
 * and `authorizerConfiguration` (or the whole yaml document as the first argument). The shared
 * fields are read by the browser's `fromOpenMetadataConfig`, with the same checks. What has no
 * meaning with Cognito (`tokenValidity`, `tenant`, ...) is dropped, each with a note to `onNote`
 * (default `console.warn`): nothing is dropped silently. `disablePkce: true`, OpenMetadata's stock
 * value, is such a note: PKCE stays on (Cognito accepts it from a confidential client).
 *
 * @throws AuthError `invalid_config` naming the field: a missing secret, another authentication method, or what the browser's conversion refuses.
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
  onNote: (note: string) => void = (note) => console.warn(`[cognito-spa-auth/server] ${note}`),
): OpenMetadataBffConfig {
  if (!isObject(authn)) return fail('authenticationConfiguration', 'must be an object');
  const AUTH = 'authenticationConfiguration';
  const OIDC = `${AUTH}.oidcConfiguration`;
  const top = isObject(authn[AUTH]) ? (authn[AUTH] as Json) : (authn as Json);
  const authorizer = authz ?? (isObject(authn.authorizerConfiguration) ? (authn.authorizerConfiguration as Json) : {});
  const oidc = isObject(top.oidcConfiguration) ? top.oidcConfiguration : {};
  const both: Array<[Json, string]> = [[oidc, OIDC], [top, AUTH]];

  const secret = pick('secret', ...both) ?? pick('clientSecret', ...both);
  if (!secret?.value) return fail(`${OIDC}.secret`, "is missing: the backend-for-frontend is a confidential client and needs the app client's secret");
  const method = pick('clientAuthenticationMethod', ...both);
  const authMethod = method?.value.toLowerCase() as ClientAuthenticationMethod | undefined;
  if (method && authMethod !== 'client_secret_basic' && authMethod !== 'client_secret_post') {
    fail(method.path, `is '${method.value}': a Cognito app client authenticates with its secret, client_secret_basic or client_secret_post`);
  }
  const serverUrl = pick('serverUrl', ...both)?.value.replace(/\/+$/, '');

  const note = (path: string, why: string): void => onNote(`OpenMetadata ${path} is dropped: ${why}`);
  // OpenMetadata leaves callbackUrl empty for confidential clients and then uses {serverUrl}/callback.
  const callbackUrl = pick('callbackUrl', [top, AUTH], [oidc, OIDC]) ? undefined : serverUrl && `${serverUrl}/callback`;
  if (callbackUrl) onNote(`OpenMetadata callbackUrl is empty: using ${callbackUrl}, as OpenMetadata does`);
  const pkce = [top, oidc].some((o) => o.disablePkce === true || String(o.disablePkce).toLowerCase() === 'true');
  if (pkce) note('disablePkce: true', 'PKCE stays on (Cognito accepts it from a confidential client, and it protects the code)');
  if (isSet(top.responseType) && String(top.responseType).toLowerCase() !== 'code') {
    note(`${AUTH}.responseType '${String(top.responseType)}'`, "it is OpenMetadata's browser setting; the BFF uses the authorization code flow");
  }
  const unread = (o: Json, read: string[], path: string): void => {
    for (const [k, v] of Object.entries(o)) {
      if (read.includes(k) || SERVER_FIELDS.includes(k) || !isSet(v) || (k === 'useNonce' && String(v) === 'true')) continue;
      note(`${path}.${k}`, WHY[k] ?? 'cognito-spa-auth has no use for it');
    }
  };
  unread(top, READ.top, AUTH);
  unread(oidc, READ.oidc, OIDC);
  unread(authorizer as Json, READ.authz, 'authorizerConfiguration');

  const shared = without(top, [...SERVER_FIELDS, 'responseType', 'disablePkce']);
  const sharedOidc = without(oidc, [...SERVER_FIELDS, 'disablePkce']);
  const base = fromOpenMetadataConfig(
    { ...shared, ...(callbackUrl ? { callbackUrl } : {}), oidcConfiguration: sharedOidc } as OpenMetadataAuthenticationConfiguration,
    authorizer as OpenMetadataAuthorizerConfiguration,
  );
  return {
    ...base,
    clientSecret: secret.value,
    ...(authMethod ? { clientAuthenticationMethod: authMethod } : {}),
    ...(serverUrl ? { serverUrl } : {}),
  };
}
