import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';
import { b64urlEncode } from '../jwt.js';

/** What a sealed value is for: each purpose has its own key, so one can't stand in for another. */
export type Purpose = 'session' | 'transaction' | 'store' | 'notice';

export interface Sealer {
  /** Encrypt and authenticate `payload` (JWE, dir + A256GCM) with the newest secret; it expires in `ttl` seconds. */
  seal(payload: JWTPayload, purpose: Purpose, ttl: number): Promise<string>;
  /** The payload, or `null` for anything tampered with, foreign (another secret or purpose), expired or malformed. */
  open(token: string, purpose: Purpose): Promise<JWTPayload | null>;
}

const enc = new TextEncoder();
const SALT = enc.encode('cognito-spa-auth/bff');

interface DerivedKey {
  kid: string;
  key: CryptoKey;
}

/** HKDF-SHA-256 (WebCrypto) from a secret to one AES-256-GCM key per purpose, and a key id that names it. */
async function derive(secret: string, purpose: Purpose): Promise<DerivedKey> {
  const base = await crypto.subtle.importKey('raw', enc.encode(secret), 'HKDF', false, ['deriveKey', 'deriveBits']);
  const params = (info: string): HkdfParams => ({ name: 'HKDF', hash: 'SHA-256', salt: SALT, info: enc.encode(info) });
  const key = await crypto.subtle.deriveKey(params(`${purpose} key v1`), base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const id = new Uint8Array(await crypto.subtle.deriveBits(params(`${purpose} kid v1`), base, 64));
  return { kid: b64urlEncode(id), key };
}

/**
 * Seal and open cookie and store values with keys derived from `cookieSecret`. With several
 * secrets (rotation) the first seals and each of them opens, chosen by the key id in the header.
 *
 * @example
 * const sealer = createSealer(['a secret of at least 32 characters...']);
 * const token = await sealer.seal({ sid }, 'session', 3600);
 * (await sealer.open(token, 'session'))?.sid;
 */
export function createSealer(secrets: string[]): Sealer {
  const keys = new Map<Purpose, Promise<DerivedKey[]>>();
  const keysFor = (purpose: Purpose): Promise<DerivedKey[]> => {
    let k = keys.get(purpose);
    if (!k) keys.set(purpose, (k = Promise.all(secrets.map((s) => derive(s, purpose)))));
    return k;
  };
  return {
    async seal(payload, purpose, ttl) {
      const [newest] = await keysFor(purpose);
      const { kid, key } = newest as DerivedKey;
      const now = Math.floor(Date.now() / 1000);
      return new EncryptJWT(payload).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid }).setIssuedAt(now).setExpirationTime(now + Math.max(1, Math.ceil(ttl))).encrypt(key);
    },
    async open(token, purpose) {
      const all = await keysFor(purpose);
      try {
        const { payload } = await jwtDecrypt(
          token,
          (header) => {
            const found = all.find((k) => k.kid === header.kid);
            if (!found) throw new Error('unknown key id');
            return found.key;
          },
          { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'], requiredClaims: ['exp'] },
        );
        return payload;
      } catch {
        return null;
      }
    },
  };
}
