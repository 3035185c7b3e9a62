/**
 * The BFF's proxy: a same-origin path prefix forwarded to a fixed upstream URL with the session's
 * access token as `Authorization: Bearer`. Cookies and hop-by-hop headers go neither way, a path
 * that could climb out of the upstream's base path is refused, and redirects are not followed.
 */

/** Hop-by-hop headers (RFC 9110 7.6.1) and what else must not cross the proxy. */
const DROP_REQUEST = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'cookie', 'authorization', 'x-csrf', 'content-length'];
/**
 * What only a proxy in front of the API may say, never the browser: the client's address, host and
 * scheme (an API that trusts its load balancer's X-Forwarded-For would take the browser's), and
 * the path overrides some frameworks honour (X-Original-URL: a path the checks here never saw).
 */
const SPOOFABLE = /^(forwarded|x-forwarded-.*|x-real-ip|x-original-url|x-rewrite-url)$/;
// fetch() hands back the body decoded, so its encoding and length no longer describe it.
// CDN-Cache-Control and Surrogate-Control (caches that obey them ignore Cache-Control): see privately() below.
const DROP_RESPONSE = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'set-cookie', 'set-cookie2', 'content-encoding', 'content-length', 'cdn-cache-control', 'surrogate-control'];

export interface ProxyRoute {
  prefix: string;
  upstream: URL;
}

/** The route of `pathname`: the longest prefix it equals or continues with a `/`. */
export function findRoute(routes: ProxyRoute[], pathname: string): ProxyRoute | undefined {
  return routes.find((r) => pathname === r.prefix || pathname.startsWith(`${r.prefix}/`));
}

/** Percent-decode repeatedly (double encoding), up to a point; null when it doesn't decode. */
function decoded(segment: string): string | null {
  let s = segment;
  for (let i = 0; i < 4 && s.includes('%'); i++) {
    try {
      s = decodeURIComponent(s);
    } catch {
      return null;
    }
  }
  return s;
}

/**
 * A segment that some server reads as a dot segment: only dots once its `;parameters` are gone
 * (Tomcat and Spring drop them first: `..;/` climbs) and its spaces (Windows drops trailing dots
 * and spaces: `.. ` and `...` are `..`).
 */
const dotLike = (d: string): boolean => /^\.+$/.test((d.split(';')[0] as string).trim());

/**
 * The upstream URL for `url` under `route`, or null when the rest of its path could escape the
 * upstream's base path under some reading: a dot segment (also percent-encoded, once or more, or
 * with parameters or trailing spaces), a backslash, an encoded slash, a control character.
 */
export function upstreamUrl(route: ProxyRoute, url: URL): URL | null {
  const rest = url.pathname.slice(route.prefix.length);
  for (const segment of rest.split('/').slice(1)) {
    const d = decoded(segment);
    if (d === null || dotLike(d) || /[/\\\u0000-\u001f]/.test(d) || segment.includes('\\')) return null;
  }
  const base = route.upstream.pathname.replace(/\/+$/, '');
  const target = new URL(`${route.upstream.origin}${base}${rest}${url.search}`);
  const inside = target.origin === route.upstream.origin && (target.pathname === (base || '/') || target.pathname.startsWith(`${base}/`));
  return inside ? target : null;
}

/**
 * The upstream's Cache-Control, for one user only. The API saw `Authorization`, which shared caches
 * respect; the browser's request to the BFF has only a cookie, so a CDN in front of the BFF would
 * serve one user's answer to the next. `private` is added (unless `no-store` is there); `public`,
 * `s-maxage` and `proxy-revalidate`, for shared caches, go.
 */
function privately(cc: string | null): string {
  const kept = (cc ?? '').split(',').map((d) => d.trim()).filter((d) => d && !/^(public|s-maxage|proxy-revalidate)\b/i.test(d));
  return (kept.some((d) => /^(private|no-store)$/i.test(d)) ? kept : ['private', ...kept]).join(', ');
}

/**
 * Forward `req` to `target` with `accessToken`. The upstream's answer comes back as it is (a
 * redirect included, not followed), less cookies and hop-by-hop headers.
 */
export async function forward(req: Request, target: URL, accessToken: string): Promise<Response> {
  const headers = new Headers(req.headers);
  for (const name of (req.headers.get('connection') ?? '').split(',')) if (name.trim()) headers.delete(name.trim());
  for (const name of DROP_REQUEST) headers.delete(name);
  for (const [name] of req.headers) if (SPOOFABLE.test(name)) headers.delete(name);
  headers.set('authorization', `Bearer ${accessToken}`);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.body !== null;
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers, redirect: 'manual', signal: req.signal };
  if (hasBody) {
    init.body = req.body;
    init.duplex = 'half'; // a streamed request body (Node's fetch needs to be told)
  }
  const res = await fetch(target, init);
  const out = new Headers(res.headers);
  for (const name of (res.headers.get('connection') ?? '').split(',')) if (name.trim()) out.delete(name.trim());
  for (const name of DROP_RESPONSE) out.delete(name);
  // No CORS on the BFF's origin, the API's answers included.
  for (const [name] of res.headers) if (name.startsWith('access-control-')) out.delete(name);
  out.set('cache-control', privately(out.get('cache-control')));
  return new Response(res.status === 204 || res.status === 304 || req.method === 'HEAD' ? null : res.body, { status: res.status, statusText: res.statusText, headers: out });
}
