// Types for server.mjs (the local Cognito-shaped identity provider).

export interface DemoUser {
  username: string;
  password: string;
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  phone_number?: string;
  phone_number_verified?: boolean;
  groups?: string[];
  /** Custom attributes (`custom:tenant`), put in the ID token as Cognito does. */
  attributes?: Record<string, string>;
  /** A user who signs in through an external IdP (Google, SAML...): tokens carry `identities` and the group `{poolId}_{providerName}`. */
  federated?: { providerName: string; providerType: string; userId: string };
}

/** Behaviours of real Cognito pools, switched at start or at any time on `idp.switches`. */
export interface IdpSwitches {
  /** With rotateRefreshTokens: each refresh moves auth_time to now (seen on real pools). */
  rotationMovesAuthTime: boolean;
  /** Answer refresh grants with this OAuth error, e.g. 'invalid_client' (a misconfigured app client). */
  refreshError: string | null;
  /** The next /oauth2/authorize redirects back with this error and no state, then the switch clears. */
  nextAuthorizeError: { error: string; error_description?: string } | null;
  /** The next N token requests get their headers and part of a body, then nothing (a stalled reply). */
  stallTokenReplies: number;
}

export interface IdpOptions {
  /** Port of the issuer host (discovery, JWKS). 0 = any free port. Default 0. */
  issuerPort?: number;
  /** Port of the user-pool domain (/oauth2/*, /logout, sign-in page). 0 = any free port. Default 0. */
  domainPort?: number;
  /** App client id. Default 'local-spa-client'. */
  clientId?: string;
  /** Allowed callback URLs (exact match). Default ['http://127.0.0.1:5173/callback']. */
  redirectUris?: string[];
  /** Allowed sign-out URLs for /logout?logout_uri=. Default: each redirect origin + '/'. */
  logoutUris?: string[];
  /** Origins allowed to call /oauth2/token, /oauth2/revoke, /oauth2/userInfo. Default: the redirect origins. */
  corsOrigins?: string[];
  /** Seconds. Default 3600. */
  accessTokenTtl?: number;
  /** Seconds. Default 3600. */
  idTokenTtl?: number;
  /** Seconds. Default 30 days. */
  refreshTokenTtl?: number;
  /** Hosted-UI session lifetime, seconds. Default 3600. */
  sessionTtl?: number;
  /** Refresh-token rotation (each refresh returns a new refresh token, the old one dies). Default false. */
  rotateRefreshTokens?: boolean;
  /**
   * Send `Cross-Origin-Opener-Policy: same-origin` as Cognito's hosted pages do (a popup reaching
   * them loses its opener). Default true; false to keep popups attached.
   */
  crossOriginOpenerPolicy?: boolean;
  /** Default 'us-east-1'. */
  region?: string;
  /** Default 'us-east-1_LocalPool'. */
  poolId?: string;
  /** Confidential app clients (with a secret). Default {@link CONFIDENTIAL_CLIENTS}: one for each method. */
  confidentialClients?: ConfidentialClient[];
  /** Replace the demo users. */
  users?: DemoUser[];
  /** Log requests and errors to the console. Default false (silent). */
  debug?: boolean;
  /** See IdpSwitches. */
  rotationMovesAuthTime?: boolean;
  /** See IdpSwitches. */
  refreshError?: string;
  /** false: no identity pool and no AWS service. Default true. */
  identityPool?: boolean;
  /** The identity pool's id. Default `{region}:{random uuid}`. */
  identityPoolId?: string;
  /** Port of the local AWS service (S3 objects, SigV4 checked). 0 = any free port. Default 0. */
  awsPort?: number;
  /** Lifetime of the AWS credentials issued, seconds. Default 3600. */
  credentialsTtl?: number;
  /** Roles a GetCredentialsForIdentity may ask for as CustomRoleArn. Default none. */
  customRoleArns?: string[];
}

export interface ConfidentialClient {
  clientId: string;
  clientSecret: string;
  /** The registered method; like Cognito, the pool accepts the secret either way. */
  method: 'client_secret_basic' | 'client_secret_post';
}

/** How a client authenticated at /oauth2/token or /oauth2/revoke. */
export interface ClientAuthentication {
  path: '/oauth2/token' | '/oauth2/revoke';
  clientId: string | undefined;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
  status: number;
}

export interface IdpRequest {
  /** Cognito Identity is on the issuer host, at `/`; `aws` is the local AWS service. */
  host: 'issuer' | 'domain' | 'aws';
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path with the query string. */
  url: string;
}

export interface PublicUser {
  username: string;
  password: string;
  sub: string;
  email?: string;
  name?: string;
  given_name?: string;
  groups: string[];
  attributes?: Record<string, string>;
  federated?: { providerName: string; providerType: string; userId: string };
}

export interface LocalIdp {
  /** `http://127.0.0.1:{issuerPort}/{poolId}` (no trailing slash): the `authority`. */
  issuer: string;
  /** `http://127.0.0.1:{domainPort}`: the hosted-UI domain. */
  domain: string;
  jwksUri: string;
  discoveryUrl: string;
  clientId: string;
  confidentialClients: ConfidentialClient[];
  /** Every client authentication at /oauth2/token and /oauth2/revoke, in order (a live list). */
  clientAuth: ClientAuthentication[];
  region: string;
  poolId: string;
  redirectUris: string[];
  logoutUris: string[];
  users: PublicUser[];
  /** Every request received, in order. Clear with `requests.length = 0`. */
  requests: IdpRequest[];
  /** Close both servers and all their connections. */
  stop(): Promise<void>;
  /** Refresh tokens revoked through /oauth2/revoke so far. */
  revokedCount(): number;
  /** Lifetime of access tokens (and of ID tokens, unless `idSeconds`) issued from now on, in seconds. */
  setTokenLifetime(seconds: number, idSeconds?: number): void;
  /** Real-Cognito behaviours, mutable at any time. */
  switches: IdpSwitches;
  /** Lifetime of refresh tokens issued from now on, in seconds. */
  setRefreshTokenLifetime(seconds: number): void;
  /** The identity pool (absent with `identityPool: false`): `{region}:{uuid}`. */
  identityPoolId?: string;
  /** Cognito Identity: `{issuer origin}/`, where the SDK finds it with a loopback `authority`. */
  identityEndpoint?: string;
  /** The local AWS service: `http://127.0.0.1:{awsPort}` (an S3 client's `endpoint`, path-style, region from the pool id). */
  awsEndpoint?: string;
  /** Requests so far: GetId, GetCredentialsForIdentity, and signed requests accepted or refused by the AWS service. */
  identityCounts?: { getId: number; getCredentialsForIdentity: number; accepted: number; refused: number };
  /** Lifetime of the AWS credentials issued from now on, in seconds. */
  setCredentialsLifetime?(seconds: number): void;
}

export const CONFIDENTIAL_CLIENTS: readonly ConfidentialClient[];
export function startIdp(options?: IdpOptions): Promise<LocalIdp>;
