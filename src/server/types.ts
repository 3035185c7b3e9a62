import type { CognitoAuthConfig, User } from '../types.js';

/** How the server authenticates to Cognito's token endpoint with the app client's secret. */
export type ClientAuthenticationMethod = 'client_secret_basic' | 'client_secret_post';

/**
 * Where sessions live when several server instances share them (the session cookie then holds
 * only an encrypted id). Values are opaque strings, already encrypted by the server.
 */
export interface SessionStore {
  get(key: string): Promise<string | null>;
  /** Store `value` under `key` for `ttlSeconds`. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Run `fn` while holding the lock `key`, shared by every instance that uses the store (one
   * refresh per session at a time). Rejects when the lock can't be had in reasonable time.
   */
  lock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** The configuration of {@link createCognitoBff}: the browser's config, less its browser-only fields, plus these. */
export interface CognitoBffConfig extends Omit<CognitoAuthConfig, 'storage' | 'silentRenew' | 'navigate'> {
  /** The app client's secret (a confidential client). Required here, and refused by the browser client. */
  clientSecret: string;
  /** Default `client_secret_basic` (Cognito's `Authorization: Basic`). */
  clientAuthenticationMethod?: ClientAuthenticationMethod;
  /** The app's origin, e.g. `https://app.example.com` (default: the origin of `callbackUrl`). */
  serverUrl?: string;
  /** At least 32 characters; a list for rotation: the first encrypts, every one decrypts. */
  cookieSecret: string | string[];
  /** Where the BFF's endpoints live (default `/auth`). */
  basePath?: string;
  /** Same-origin path prefix -> fixed upstream URL, e.g. `{ '/api': 'https://api.example.com/v1' }`. */
  proxy?: Record<string, string>;
  /** Sessions server-side (several instances); default: in the encrypted cookie. */
  store?: SessionStore;
  /** Serve `GET {basePath}/token` (the access token to page scripts). Default false. */
  exposeAccessToken?: boolean;
}

/** A signed-in request's session, as {@link CognitoBff.getSession} gives it to server code. */
export interface BffSession {
  user: User;
  accessToken: string;
  idToken: string;
  /** Access token expiry, epoch seconds. */
  expiresAt: number;
  /**
   * `Set-Cookie` values to send with the response: a refresh renewed the session cookie (cookie
   * sessions only). Empty otherwise.
   */
  setCookies: string[];
}

/** The backend-for-frontend: a web-standard request handler. */
export interface CognitoBff {
  /** Answer a BFF route (login, callback, session, logout, token, proxy); `null` for any other request. */
  handler(req: Request): Promise<Response | null>;
  /**
   * The session of a request for the app's own server code, refreshed when due; `null` when signed
   * out, and for a change (not GET or HEAD) that a page of another origin sent.
   */
  getSession(req: Request): Promise<BffSession | null>;
}
