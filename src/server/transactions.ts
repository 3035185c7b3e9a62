/**
 * Sign-ins in flight (state, nonce, PKCE verifier, returnTo), kept in one short-lived encrypted
 * cookie between `GET {basePath}/login` and the callback. `SameSite=Lax`: the callback is a
 * top-level navigation from Cognito's domain, on which a `Strict` cookie would not be sent.
 */
import { AuthError } from '../errors.js';
import { STORE_VERSION, type TransactionRecord } from '../store.js';
import type { BffSettings } from './config.js';
import { CHUNK_SIZE, readChunked, readCookies, writeChunked } from './cookies.js';
import type { Sealer } from './seal.js';
import type { Replaced } from './session.js';

/** A sign-in in flight, and the session it will replace (seen by the login route). */
export type BffTransaction = TransactionRecord & { replaces?: Replaced };

const TX_COOKIE = 'cognito-tx';
/** A sign-in older than this can no longer complete (the user walked away from the hosted UI). */
export const TX_TTL_SECONDS = 3600;
/** Sign-ins started in other tabs that stay valid meanwhile; older ones are dropped (and beyond this much JSON). */
const MAX_PENDING = 3;
const MAX_OTHERS_JSON = 2_000;
/**
 * The most the sealed cookie may hold (two chunks): any site can send a browser to the login route,
 * and a larger cookie (a long returnTo, a large appState) would make every later request of the
 * browser larger than servers read (Node answers 431), for as long as the cookie lives.
 */
const MAX_SEALED = 2 * CHUNK_SIZE;

const isTx = (t: unknown): t is BffTransaction => {
  const x = t as Partial<TransactionRecord> | null;
  return !!x && x.v === STORE_VERSION && typeof x.state === 'string' && typeof x.nonce === 'string' && typeof x.codeVerifier === 'string' &&
    typeof x.redirectUri === 'string' && typeof x.returnTo === 'string' && typeof x.createdAt === 'number' &&
    (x.maxAge === undefined || typeof x.maxAge === 'number') && Math.floor(Date.now() / 1000) - x.createdAt < TX_TTL_SECONDS;
};

export function createTransactions(s: BffSettings, sealer: Sealer) {
  async function pending(cookies: Map<string, string>): Promise<BffTransaction[]> {
    const token = readChunked(cookies, TX_COOKIE, s.secure);
    const payload = token ? await sealer.open(token, 'transaction') : null;
    return Array.isArray(payload?.txs) ? payload.txs.filter(isTx) : [];
  }

  /** The `Set-Cookie` values (chunks: an appState can be large) that keep `txs`, or clear them. */
  async function write(cookies: Map<string, string>, txs: BffTransaction[]): Promise<string[]> {
    return keep(cookies, txs.length ? await sealer.seal({ txs }, 'transaction', TX_TTL_SECONDS) : null);
  }

  function keep(cookies: Map<string, string>, value: string | null): string[] {
    return writeChunked(cookies, TX_COOKIE, value, { secure: s.secure, sameSite: 'Lax', maxAge: value ? TX_TTL_SECONDS : 0 });
  }

  return {
    /** Keep `tx` beside the request's other (few, small) pending sign-ins; the `Set-Cookie` values. */
    async put(req: Request, tx: BffTransaction): Promise<string[]> {
      const cookies = readCookies(req);
      let size = 0;
      const others = (await pending(cookies)).filter((t) => (size += JSON.stringify(t).length) <= MAX_OTHERS_JSON).slice(0, MAX_PENDING - 1);
      // The others make way when the new one needs the room; alone too large, it is refused.
      for (const txs of others.length ? [[tx, ...others], [tx]] : [[tx]]) {
        const value = await sealer.seal({ txs }, 'transaction', TX_TTL_SECONDS);
        if (value.length <= MAX_SEALED) return keep(cookies, value);
      }
      throw new AuthError('invalid_config', `signIn.returnTo and signIn.appState: too large together for the BFF's sign-in cookie (about 5,000 characters at most)`);
    },
    /** Take the sign-in of `state` out (it works once); null when unknown, used or expired. */
    async take(req: Request, state: string): Promise<{ tx: BffTransaction | null; setCookies: string[] }> {
      const cookies = readCookies(req);
      const txs = await pending(cookies);
      const tx = txs.find((t) => t.state === state) ?? null;
      return { tx, setCookies: await write(cookies, txs.filter((t) => t !== tx)) };
    },
  };
}
