/** Decode base64url to bytes. */
export function b64urlDecode(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Encode bytes as base64url without padding. */
export function b64urlEncode(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The claims of a JWT, WITHOUT checking its signature: only for tokens this SDK verified
 * before it stored them. `null` when the token is not a JWT with a JSON object payload.
 */
export function decodeClaims(token: unknown): Record<string, unknown> | null {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const claims: unknown = JSON.parse(new TextDecoder().decode(b64urlDecode(parts[1])));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Random bytes as base64url: URL-safe, because Cognito has been seen to double-encode `state`. */
export const randomString = (bytes = 32): string => b64urlEncode(crypto.getRandomValues(new Uint8Array(bytes)));

/** SHA-2 digest of an ASCII string. */
export const sha = async (alg: 'SHA-256' | 'SHA-384' | 'SHA-512', text: string): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest(alg, new TextEncoder().encode(text)));
