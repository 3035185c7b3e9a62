/**
 * The BFF's cookies: `__Host-` prefixed, `Secure; HttpOnly; Path=/` on https (no prefix and no
 * `Secure` on plain-http loopback only), split into chunks that stay under browsers' 4096-byte
 * limit per cookie.
 */

/** Characters of value per chunk: with the name, well under the 4096 bytes browsers keep per cookie. */
export const CHUNK_SIZE = 3800;
/** More chunks than this is not a session of ours (and would outgrow request header limits). */
const MAX_CHUNKS = 8;

export interface CookieOptions {
  secure: boolean;
  sameSite: 'Strict' | 'Lax';
  /** Seconds; 0 deletes the cookie; absent, it lasts until the browser closes. */
  maxAge?: number;
}

/** Spaces and tabs around a name or value (RFC 6265's OWS), and nothing else. */
const ows = (t: string): string => t.replace(/^[ \t]+|[ \t]+$/g, '');

/**
 * The cookies of a request, by name (the first of duplicate names wins). Names are trimmed of
 * spaces and tabs only, as browsers do: JavaScript's trim() would also strip a no-break space, and
 * a sibling subdomain could then set "\u00a0__Host-..." (no prefix rules apply to it) that reads
 * as the `__Host-` session.
 */
export function readCookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = ows(part.slice(0, eq));
    if (!out.has(name)) out.set(name, ows(part.slice(eq + 1)));
  }
  return out;
}

/** A cookie's full name: `__Host-{name}` when served over https. */
export const cookieName = (name: string, secure: boolean): string => (secure ? `__Host-${name}` : name);

/** One `Set-Cookie` value. Values are base64url / JWE compact strings: nothing to escape. */
export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  const attrs = [`${cookieName(name, o.secure)}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${o.sameSite}`];
  if (o.maxAge !== undefined) attrs.push(`Max-Age=${Math.max(0, Math.floor(o.maxAge))}`);
  if (o.secure) attrs.push('Secure');
  return attrs.join('; ');
}

/** Read a value written by {@link writeChunked}: chunks `{name}.0`, `{name}.1`, ... joined; null if absent or broken. */
export function readChunked(cookies: Map<string, string>, name: string, secure: boolean): string | null {
  const parts: string[] = [];
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const part = cookies.get(cookieName(`${name}.${i}`, secure));
    if (part === undefined) break;
    parts.push(part);
  }
  return parts.length ? parts.join('') : null;
}

/**
 * `Set-Cookie` values that store `value` in chunks, and delete the request's chunks beyond them
 * (a shorter value after a longer one). `value` null deletes every chunk the request had.
 */
export function writeChunked(cookies: Map<string, string>, name: string, value: string | null, o: CookieOptions): string[] {
  const chunks: string[] = [];
  for (let i = 0; value !== null && i < value.length; i += CHUNK_SIZE) chunks.push(value.slice(i, i + CHUNK_SIZE));
  const out = chunks.map((c, i) => serializeCookie(`${name}.${i}`, c, o));
  for (let i = chunks.length; i < MAX_CHUNKS; i++) {
    if (cookies.has(cookieName(`${name}.${i}`, o.secure))) out.push(serializeCookie(`${name}.${i}`, '', { ...o, maxAge: 0 }));
  }
  return out;
}
