import type { StorageLike } from './types.js';

/** Bump when the shape of a stored record changes: older records are then discarded. */
export const STORE_VERSION = 1;
export const KEY_PREFIX = 'cognito-spa-auth';

/** The tokens of a signed-in session, as kept in storage. */
export interface SessionRecord {
  v: number;
  clientId: string;
  iss: string;
  sub: string;
  /** The current ID token's `auth_time`. */
  authTime?: number;
  /**
   * When this session's sign-in happened (epoch s): the `auth_time` of the ID token the callback
   * got, else the time it arrived. `sessionExpiry` counts from it; a renew never moves it, even
   * when Cognito's rotation moves `auth_time` forward.
   */
  sessionStart?: number;
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** Access token expiry, epoch seconds. */
  expiresAt: number;
  /** ID token expiry, epoch seconds (Cognito sets the two lifetimes separately). */
  idExpiresAt: number;
  /** When Cognito issued these tokens (the access token's `iat`), epoch seconds. */
  issuedAt?: number;
  /** Cognito's clock minus this browser's when the tokens arrived, in seconds (0 within clock skew). */
  clockOffset?: number;
  /** When these tokens were obtained, epoch ms: the newest record wins across tabs. */
  updatedAt: number;
}

/** A sign-in in flight, kept between the redirect to Cognito and the callback. */
export interface TransactionRecord {
  v: number;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  scope: string;
  returnTo: string;
  /** `signIn({ appState })`, kept here only (never sent to Cognito). */
  appState?: unknown;
  maxAge?: number;
  createdAt: number;
}

/** An in-memory StorageLike, used for `storage: 'memory'` and as the fallback when storage fails. */
export function memoryStorage(): StorageLike {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
    get length() {
      return m.size;
    },
    key: (i) => [...m.keys()][i] ?? null,
  };
}

function browserStorage(kind: 'sessionStorage' | 'localStorage'): StorageLike | null {
  try {
    const s = (globalThis as Record<string, unknown>)[kind] as StorageLike | undefined;
    if (!s) return null;
    const probe = `${KEY_PREFIX}.probe`;
    s.setItem(probe, '1'); // throws in some private modes and when storage is disabled
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

/**
 * A guarded view of one StorageLike: reads and writes never throw at the app. A failing
 * write (quota, disabled storage) moves the rest of the session to memory and says so.
 */
export class SafeStorage {
  private fallback: StorageLike | null = null;

  constructor(
    private inner: StorageLike | null,
    private readonly warn: (msg: string, cause?: unknown) => void,
  ) {
    if (!inner) {
      warn('storage unavailable: using memory');
      this.fallback = memoryStorage();
    }
  }

  private get s(): StorageLike {
    return this.fallback ?? (this.inner as StorageLike);
  }

  get(key: string): string | null {
    try {
      return this.s.getItem(key);
    } catch (e) {
      this.warn('storage read failed: using memory', e);
      this.fallback = memoryStorage();
      return null;
    }
  }

  set(key: string, value: string): void {
    try {
      this.s.setItem(key, value);
    } catch (e) {
      this.warn('storage write failed: using memory', e);
      this.fallback = memoryStorage();
      this.fallback.setItem(key, value);
      try {
        this.inner?.removeItem(key); // never leave an older value (another user's session) to be read after a reload
      } catch {
        /* storage refuses every access */
      }
    }
  }

  remove(key: string): void {
    try {
      this.s.removeItem(key);
    } catch (e) {
      this.warn('storage remove failed', e);
    }
    if (this.fallback && this.inner) {
      try {
        this.inner.removeItem(key);
      } catch {
        /* already warned */
      }
    }
  }

  /** Every key that starts with `prefix`, where the storage can list its keys. */
  keys(prefix: string): string[] {
    const out: string[] = [];
    for (const s of new Set([this.s, this.inner])) {
      try {
        const n = s?.length ?? 0;
        for (let i = 0; i < n; i++) {
          const k = s?.key?.(i);
          if (k && k.startsWith(prefix)) out.push(k);
        }
      } catch {
        /* not listable */
      }
    }
    return [...new Set(out)];
  }
}

/** Resolve the `storage` option to the places where sessions and transactions live. */
export function openStorages(
  option: 'session' | 'local' | 'memory' | StorageLike,
  warn: (msg: string, cause?: unknown) => void,
): { tokens: SafeStorage; transactions: SafeStorage } {
  if (typeof option === 'object') {
    const s = new SafeStorage(option, warn);
    return { tokens: s, transactions: s };
  }
  // A sign-in transaction must survive the redirect to Cognito, so it never lives in memory:
  // sessionStorage is per tab, which is where the callback comes back.
  const session = new SafeStorage(browserStorage('sessionStorage'), warn);
  if (option === 'session') return { tokens: session, transactions: session };
  if (option === 'memory') return { tokens: new SafeStorage(memoryStorage(), warn), transactions: session };
  return { tokens: new SafeStorage(browserStorage('localStorage'), warn), transactions: session };
}
