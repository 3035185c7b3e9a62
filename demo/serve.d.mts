// Types for serve.mjs (the script-tag demo server).
import type { IdpOptions, LocalIdp, PublicUser } from './idp/server.d.mts';

/** A real Cognito user pool to point the page at instead of the local one. */
export interface CognitoPool {
  /** `https://cognito-idp.{region}.amazonaws.com/{userPoolId}` */
  authority: string;
  clientId: string;
  /** The hosted-UI / managed-login domain. */
  domain: string;
  /** Default `http://localhost:{port}/callback` (Cognito allows http on localhost only). */
  callbackUrl?: string;
  /** Default `http://localhost:{port}/`. */
  logoutUrl?: string;
  /** `{region}:{uuid}` of an identity pool that accepts this user pool: the page's AWS credentials card. */
  identityPoolId?: string;
}

export interface DemoOptions {
  /** Port of the page. 0 = any free port. Default 0 (the CLI uses 5173). */
  port?: number;
  /** Port of the local pool's issuer host. Default 0 (the CLI uses 9011). */
  issuerPort?: number;
  /** Port of the local pool's hosted-UI domain. Default 0 (the CLI uses 9012). */
  domainPort?: number;
  /** Local pool: access token lifetime, seconds (default 3600). */
  accessTokenTtl?: number;
  /** Local pool: ID token lifetime, seconds (default 3600). */
  idTokenTtl?: number;
  /** Local pool: refresh token lifetime, seconds (default 30 days). */
  refreshTokenTtl?: number;
  /** Local pool: refresh-token rotation (default false). */
  rotateRefreshTokens?: boolean;
  /** Local pool: its identity pool and SigV4-checking AWS service (default true; false: no AWS credentials card). */
  identityPool?: boolean;
  /** Any other option of the local pool (ports, redirect and logout URIs are set by the demo). */
  idpOptions?: IdpOptions;
  /**
   * More SDK config for the page, merged over the demo's (`jwtPrincipalClaimsMapping`,
   * `adminPrincipals`), e.g. `{ storage: 'local' }` or
   * `{ enforcePrincipalDomain: true, principalDomain: 'example.com' }`. JSON values only.
   */
  config?: Record<string, unknown>;
  /** Use this real pool: no local pool is started. */
  cognito?: CognitoPool;
  /** Where to report server errors; false = silent. Default console.log. */
  log?: false | ((...args: unknown[]) => void);
}

/** What `/config.js` sets as `window.DEMO_CONFIG`: the SDK config plus `demo`. */
export interface DemoConfig {
  authority: string;
  clientId: string;
  callbackUrl: string;
  domain: string;
  logoutUrl: string;
  jwtPrincipalClaimsMapping: string[];
  adminPrincipals: string[];
  [field: string]: unknown;
  demo: {
    mode: 'local' | 'cognito';
    users: Array<Pick<PublicUser, 'username' | 'email' | 'groups'>>;
    password?: string;
    /** The local AWS service (S3 objects, path-style), with the local identity pool. */
    awsEndpoint?: string;
  };
}

export interface Demo {
  /** `http://127.0.0.1:{port}/` (`http://localhost:{port}/` with a real pool, as Cognito wants). */
  url: string;
  /** `http://127.0.0.1:{port}` (or `http://localhost:{port}`). */
  origin: string;
  /** The local pool, or null with a real one. */
  idp: LocalIdp | null;
  config: DemoConfig;
  /** The Content-Security-Policy header sent with every response. */
  csp: string;
  /** Stop the page server and the local pool, with all their connections. */
  stop(): Promise<void>;
}

export const DEMO_SDK_CONFIG: Readonly<{ jwtPrincipalClaimsMapping: string[]; adminPrincipals: string[] }>;
export function contentSecurityPolicy(connectOrigins: string[]): string;
export function startDemo(options?: DemoOptions): Promise<Demo>;

/** A file the demo server sends: where it is, its type, and whether `npm run build` makes it. */
export interface DemoFile {
  file: string;
  type: string;
  build?: boolean;
}
export const FILES: Readonly<Record<string, DemoFile>>;
/** What serve() answers from: the page's config, its CSP, and the files (default FILES). */
export interface PageState {
  ready: boolean;
  config: unknown;
  csp: string;
  files?: Record<string, DemoFile>;
}
export function serve(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, state: PageState): Promise<void>;
/** A whole number from the environment variable `name`, or `fallback`; anything else exits with a message. */
export function envInt(name: string, fallback: number | undefined): number | undefined;
/** Stop the demo (once) on Ctrl+C or SIGTERM, then exit. */
export function stopOnSignals(demo: { stop(): Promise<void> }): void;
