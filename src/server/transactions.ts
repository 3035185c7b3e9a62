/**
 * Sign-ins in flight (state, nonce, PKCE verifier, returnTo), kept in one short-lived encrypted
 * cookie between `GET {basePath}/login` and the callback. `SameSite=Lax`: the callback is a
 * top-level navigation from Cognito's domain, on which a `Strict` cookie would not be sent.
 */
import { STORE_VERSION, type TransactionRecord } from '../store.js';
import type { BffSettings } from './config.js';
import { readCookies, serializeCookie, cookieName } from './cookies.js';
import type { Sealer } from './seal.js';

const TX_COOKIE = 'cognito-tx';
/** A sign-in older than this can no longer complete (the user walked away from the hosted UI). */
export const TX_TTL_SECONDS = 3600;
/** Sign-ins started in other tabs that stay valid meanwhile; older ones are dropped. */
const MAX_PENDING = 3;

const isTx = (t: unknown): t is TransactionRecord => {
  const x = t as Partial<TransactionRecord> | null;
  return !!x && x.v === STORE_VERSION && typeof x.state === 'string' && typeof x.nonce === 'string' && typeof x.codeVerifier === 'string' &&
    typeof x.redirectUri === 'string' && typeof x.returnTo === 'string' && typeof x.createdAt === 'number' &&
    (x.maxAge === undefined || typeof x.maxAge === 'number') && Math.floor(Date.now() / 1000) - x.createdAt < TX_TTL_SECONDS;
};

export function createTransactions(s: BffSettings, sealer: Sealer) {
  async function pending(req: Request): Promise<TransactionRecord[]> {
    const token = readCookies(req).get(cookieName(TX_COOKIE, s.secure));
    const payload = token ? await sealer.open(token, 'transaction') : null;
    return Array.isArray(payload?.txs) ? payload.txs.filter(isTx) : [];
  }

  async function write(txs: TransactionRecord[]): Promise<string> {
    const o = { secure: s.secure, sameSite: 'Lax' as const };
    if (txs.length === 0) return serializeCookie(TX_COOKIE, '', { ...o, maxAge: 0 });
    return serializeCookie(TX_COOKIE, await sealer.seal({ txs }, 'transaction', TX_TTL_SECONDS), { ...o, maxAge: TX_TTL_SECONDS });
  }

  return {
    /** Keep `tx` beside the request's other pending sign-ins; the `Set-Cookie` value. */
    async put(req: Request, tx: TransactionRecord): Promise<string> {
      return write([tx, ...(await pending(req))].slice(0, MAX_PENDING));
    },
    /** Take the sign-in of `state` out (it works once); null when unknown, used or expired. */
    async take(req: Request, state: string): Promise<{ tx: TransactionRecord | null; setCookie: string }> {
      const txs = await pending(req);
      const tx = txs.find((t) => t.state === state) ?? null;
      return { tx, setCookie: await write(txs.filter((t) => t !== tx)) };
    },
  };
}
