import { createLocalJWKSet, type JWK, type JWTVerifyGetKey } from 'jose';
import type { NormalizedConfig } from './config.js';
import { AuthError } from './errors.js';
import { getJson } from './http.js';
import { ownPrefix } from './records.js';
import { STORE_VERSION, type SafeStorage } from './store.js';

/** Beyond one refetch per new `kid`, the key sets are refetched at most this often (ms), so a flood of forged kids can't hammer Cognito. */
export const KEY_REFETCH_COOLDOWN_MS = 30_000;

export interface KeyStore {
  /** jose key resolver over the union of every configured key set. */
  getKey: JWTVerifyGetKey;
  /** Start fetching the key sets now (when none are known), so that verification need not wait. */
  prefetch(): void;
  /**
   * After a failed signature check with keys from the cache (never fetched by this page), fetch
   * them again and say whether a retry is worth it: a cache can be stale or tampered with.
   */
  refreshIfCached(): Promise<boolean>;
}

/** Where the public keys are kept between page loads, so a renew after a reload needs no key request. */
export interface KeyCache {
  read(): JWK[] | null;
  write(keys: JWK[]): void;
}

/**
 * The pool's public keys, kept beside the session so that a renew after a reload needs no key
 * request. Only for the configured key URLs; anything else reads as no cache.
 */
export function keyCache(store: SafeStorage, cfg: NormalizedConfig): KeyCache {
  const key = `${ownPrefix(cfg.clientId)}v${STORE_VERSION}.jwks`;
  const urls = cfg.publicKeyUrls.join(' ');
  return {
    read() {
      let c: { urls?: unknown; keys?: unknown } | null;
      try {
        c = JSON.parse(store.get(key) ?? 'null') as typeof c;
      } catch {
        return null;
      }
      const keys = c?.urls === urls && Array.isArray(c.keys) ? (c.keys as unknown[]) : null;
      return keys?.every((k) => !!k && typeof k === 'object' && typeof (k as JWK).kty === 'string') ? (keys as JWK[]) : null;
    },
    write: (keys) => store.set(key, JSON.stringify({ urls, keys })),
  };
}

/**
 * The signing keys of `urls`, fetched once (one shared request for concurrent callers), reused,
 * and fetched again when a token names a `kid` none of them has (key rotation), rate-limited.
 */
export function createKeyStore(urls: string[], timeoutMs: number, warn: (m: string, e?: unknown) => void, cache?: KeyCache): KeyStore {
  const cached = cache?.read();
  // Cached keys are used as they are; a kid they lack refetches at once (fetchedAt stays -Infinity).
  let resolver: JWTVerifyGetKey | null = cached ? createLocalJWKSet({ keys: cached }) : null;
  let pending: Promise<JWTVerifyGetKey> | null = null;
  let fetchedAt = -Infinity;
  const triedKids = new Set<string>();

  const load = (): Promise<JWTVerifyGetKey> =>
    (pending ??= (async () => {
      try {
        // A document without a `keys` array (an error page served as JSON) is a failed read, not an
        // empty key set: otherwise a glitch of the key endpoint would refuse every token as forged.
        const read = async (u: string): Promise<unknown[]> => {
          const list = (await getJson(u, timeoutMs)).keys;
          if (!Array.isArray(list)) throw new AuthError('network_error', `GET ${u} did not answer a JWK Set`);
          return list;
        };
        const sets = await Promise.allSettled(urls.map(read));
        const keys: JWK[] = [];
        const seen = new Set<string>();
        sets.forEach((s, i) => {
          if (s.status === 'rejected') return warn(`key set ${urls[i]} could not be read`, s.reason);
          for (const k of s.value as JWK[]) {
            // Replicas of a pool publish the same keys: one copy each, else jose finds the kid twice.
            const id = k && typeof k === 'object' && typeof k.kty === 'string' && JSON.stringify([k.kid, k.kty, k.n, k.e, k.x, k.y, k.crv]);
            if (id && !seen.has(id)) keys.push(k), seen.add(id);
          }
        });
        if (!sets.some((s) => s.status === 'fulfilled')) {
          const first = sets[0] as PromiseRejectedResult;
          throw first.reason instanceof AuthError ? first.reason : new AuthError('network_error', 'no key set could be read', { cause: first.reason });
        }
        fetchedAt = Date.now();
        cache?.write(keys);
        return (resolver = createLocalJWKSet({ keys }));
      } finally {
        pending = null;
      }
    })());

  return {
    prefetch() {
      if (!resolver) load().catch(() => undefined); // a failure surfaces when a token is verified
    },
    async refreshIfCached() {
      if (fetchedAt !== -Infinity || !resolver) return false;
      await load();
      return true;
    },
    async getKey(header, token) {
      const current = resolver ?? (await load());
      try {
        return await current(header, token);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'ERR_JWKS_NO_MATCHING_KEY') throw e;
        // The pool may have rotated its keys since we fetched them. Each new kid gets one refetch
        // at once (a rotation right after a fetch still works); beyond that, one per cooldown.
        const kid = typeof header.kid === 'string' ? header.kid : '';
        if (Date.now() - fetchedAt < KEY_REFETCH_COOLDOWN_MS && (!kid || triedKids.has(kid) || triedKids.size >= 16)) throw e;
        triedKids.add(kid);
        return (await load())(header, token);
      }
    },
  };
}
