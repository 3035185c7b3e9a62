import type { NormalizedConfig } from './config.js';
import { decodeClaims } from './jwt.js';
import { KEY_PREFIX, STORE_VERSION, type SafeStorage, type SessionRecord, type TransactionRecord } from './store.js';

/** A sign-in transaction older than this is dropped: the user walked away from the hosted UI. */
const TX_TTL_SECONDS = 3600;

/** Every key the SDK owns for one app client starts with this. */
export const ownPrefix = (clientId: string): string => `${KEY_PREFIX}.${clientId}.`;
export const sessionKey = (clientId: string): string => `${ownPrefix(clientId)}v${STORE_VERSION}.session`;
export const txKey = (clientId: string, state: string): string => `${ownPrefix(clientId)}v${STORE_VERSION}.tx.${state}`;
/** The identity-pool record (identity id, AWS credentials) of the session's user, beside the session. */
export const awsKey = (clientId: string): string => `${sessionKey(clientId)}.aws`;

const now = (): number => Math.floor(Date.now() / 1000);

function parse(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown): boolean => v === undefined || num(v);

/**
 * `r` as a session of this client and pool, or null: the shape the SDK stores, and the ID token's
 * own claims agreeing with it. Used for what storage holds and for what another tab hands over
 * (any script of the origin can write both, so both get the same checks). A record written
 * before `idExpiresAt` existed gets it from its ID token.
 */
export function asSessionRecord(r: unknown, cfg: NormalizedConfig): SessionRecord | null {
  const s = r as Partial<SessionRecord> | null;
  const claims = decodeClaims(s?.idToken);
  const ok =
    !!s && typeof s === 'object' && claims !== null &&
    s.v === STORE_VERSION && s.clientId === cfg.clientId && s.iss === cfg.authority &&
    typeof s.accessToken === 'string' && decodeClaims(s.accessToken) !== null &&
    num(s.expiresAt) && num(s.updatedAt) && typeof s.sub === 'string' &&
    (s.refreshToken === undefined || typeof s.refreshToken === 'string') &&
    // authTime is the ID token's auth_time as stored (a non-number would make the timers spin).
    s.authTime === (num(claims.auth_time) ? claims.auth_time : undefined) &&
    num(claims.exp) && (s.idExpiresAt === undefined || s.idExpiresAt === claims.exp) &&
    optNum(s.sessionStart) && optNum(s.issuedAt) && optNum(s.clockOffset) &&
    cfg.issuers.includes(claims.iss as string) && claims.sub === s.sub &&
    (claims.aud === cfg.clientId || (Array.isArray(claims.aud) && claims.aud.includes(cfg.clientId)));
  return ok ? ({ ...s, idExpiresAt: claims.exp } as SessionRecord) : null;
}

/**
 * Read the stored session; a corrupt, foreign (another pool or client) or outdated entry is
 * removed and reads as "no session". Never throws.
 */
export function readSession(store: SafeStorage, cfg: NormalizedConfig, warn: (m: string) => void): SessionRecord | null {
  const key = sessionKey(cfg.clientId);
  const raw = store.get(key);
  if (raw === null) return null;
  const r = asSessionRecord(parse(raw), cfg);
  if (!r) {
    warn('discarded an unusable stored session');
    store.remove(key);
  }
  return r;
}

export function writeSession(store: SafeStorage, record: SessionRecord): void {
  store.set(sessionKey(record.clientId), JSON.stringify(record));
}

export function clearSession(store: SafeStorage, clientId: string): void {
  store.remove(sessionKey(clientId));
  store.remove(awsKey(clientId)); // the identity id and AWS credentials end with the session
}

export function putTransaction(store: SafeStorage, clientId: string, tx: TransactionRecord): void {
  store.set(txKey(clientId, tx.state), JSON.stringify(tx));
}

/**
 * Take the transaction of `state` out of storage: it is removed before it is used, so a
 * state works once. `null` when unknown, already used, corrupt or expired.
 */
export function takeTransaction(store: SafeStorage, clientId: string, state: string): TransactionRecord | null {
  const key = txKey(clientId, state);
  const tx = parse(store.get(key)) as Partial<TransactionRecord> | null;
  store.remove(key);
  const ok =
    tx !== null && tx.v === STORE_VERSION && tx.state === state &&
    typeof tx.nonce === 'string' && typeof tx.codeVerifier === 'string' &&
    typeof tx.redirectUri === 'string' && typeof tx.scope === 'string' && typeof tx.returnTo === 'string' &&
    typeof tx.createdAt === 'number' && now() - tx.createdAt < TX_TTL_SECONDS;
  return ok ? (tx as TransactionRecord) : null;
}

/** Drop transactions that can no longer complete (left behind by abandoned sign-ins). */
export function pruneTransactions(store: SafeStorage, clientId: string): void {
  const prefix = `${ownPrefix(clientId)}v${STORE_VERSION}.tx.`;
  for (const key of store.keys(prefix)) {
    const tx = parse(store.get(key));
    if (!tx || typeof tx.createdAt !== 'number' || now() - tx.createdAt >= TX_TTL_SECONDS) store.remove(key);
  }
}

/** Remove every key the SDK owns for this client, any version. */
export function clearAll(stores: SafeStorage[], clientId: string): void {
  for (const s of new Set(stores)) for (const key of s.keys(ownPrefix(clientId))) s.remove(key);
}
