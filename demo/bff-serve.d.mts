// Types for bff-serve.mjs (the script-tag demo's twin with a backend-for-frontend).
import type { ConfidentialClient, LocalIdp } from './idp/server.d.mts';
import type { CognitoBff, CognitoBffConfig } from '../src/server/index.js';

export interface BffDemoOptions {
  /** Port of the page and the BFF. 0 = any free port. Default 0 (the CLI uses 5174). */
  port?: number;
  /** Default 0 (the CLI uses 9021). */
  issuerPort?: number;
  /** Default 0 (the CLI uses 9022). */
  domainPort?: number;
  /** Local pool: access and ID token lifetime, seconds (default 3600). */
  accessTokenTtl?: number;
  /** Local pool: refresh-token rotation (default false). */
  rotateRefreshTokens?: boolean;
  /** The BFF's cookieSecret (default: random). */
  cookieSecret?: string;
  /** More BFF config, merged over the demo's (e.g. `{ store: memoryStore() }`, `{ enforcePrincipalDomain: true, principalDomain: 'example.com' }`). */
  bff?: Partial<CognitoBffConfig>;
  /** Where to report server errors; false = silent. Default console.log. */
  log?: false | ((...args: unknown[]) => void);
}

export interface BffDemo {
  /** `http://127.0.0.1:{port}/` */
  url: string;
  origin: string;
  idp: LocalIdp;
  /** The demo API's origin (behind the proxy at /api). */
  api: string;
  bff: CognitoBff;
  /** The pool's confidential client the BFF uses. */
  client: ConfidentialClient;
  /** Every request the server received, with its answer's status (a live list). */
  requests: Array<{ method: string; path: string; status: number }>;
  stop(): Promise<void>;
}

export function startBffDemo(options?: BffDemoOptions): Promise<BffDemo>;
