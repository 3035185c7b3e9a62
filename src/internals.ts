import type { Endpoints, NormalizedConfig } from './config.js';
import type { SafeStorage, SessionRecord } from './store.js';
import type { AuthEventMap, AuthEventName, AuthState, CallbackResult, SignInOptions, SignOutReason } from './types.js';

/**
 * What `createCognitoAuth` hands its lazily loaded features (popup, userInfo, links, idle): the
 * client's own parts, so that a feature reuses them rather than copying them. Types only.
 */
export interface Internals {
  cfg: NormalizedConfig;
  endpoints(): Promise<Endpoints>;
  /** Where tokens (and per-session values such as the last activity) and sign-in transactions live. */
  storage(): { tokens: SafeStorage; transactions: SafeStorage };
  subscribe(listener: (state: AuthState) => void): () => void;
  emit<E extends AuthEventName>(event: E, payload: AuthEventMap[E]): void;
  session(): SessionRecord | null;
  navigate(url: string): void;
  /**
   * Build a sign-in transaction (PKCE, state, nonce), keep it, and return the URL to send the
   * browser to: `/oauth2/authorize`, or `at(endpoints)` (`/signup`, `/logout`...).
   */
  prepare(options: SignInOptions, at?: (e: Endpoints) => string, statePrefix?: string): Promise<string>;
  /** Complete a callback URL as `handleCallback` does, leaving the state alone when it fails. */
  finish(url: string): Promise<CallbackResult>;
  /** Revoke the refresh token, end the session with `reason`, then go to `target(endpoints)`, else to Cognito's /logout (to `returnTo`, default `logoutUrl`). */
  leave(reason: SignOutReason, returnTo?: string, target?: (e: Endpoints) => Promise<string>): Promise<void>;
  /** A token, renewed first when due or when `force`d (`getAccessToken`). */
  token(kind: 'accessToken' | 'idToken', force?: boolean): Promise<string>;
}

/** The optional features' lazy entry, and the arguments each takes after the internals. */
export type Features = typeof import('./features.js');
export type FeatureArgs<K extends keyof Features> = Features[K] extends (c: Internals, ...args: infer A) => unknown ? A : never;
