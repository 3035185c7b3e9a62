/**
 * Cross-site request checks for every BFF endpoint but login and the callback.
 *
 * - `X-CSRF: 1`: a custom header, which a page of another origin can only send after a CORS
 *   preflight, and the BFF answers no preflight (no CORS at all).
 * - `Sec-Fetch-Site`, when the browser sends it, must be `same-origin`: this also refuses
 *   same-site pages on other ports or subdomains, which `SameSite` cookies let through.
 * - A request that changes something (not GET or HEAD) must carry `Origin` equal to the server's
 *   origin; any `Origin` present must be that one.
 *
 * @returns why the request is refused, or null when it passes.
 */
export function crossSiteRefusal(req: Request, origin: string): string | null {
  const h = req.headers;
  if (h.get('x-csrf') !== '1') return 'the X-CSRF: 1 header is missing';
  const site = h.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return `Sec-Fetch-Site is ${site}, not same-origin`;
  const from = h.get('origin');
  if (from !== null && from !== origin) return `Origin ${from} is not ${origin}`;
  if (from === null && req.method !== 'GET' && req.method !== 'HEAD') return `a ${req.method} request needs Origin ${origin}`;
  return null;
}

/**
 * A request that changes something (not GET or HEAD) which a page of another origin sent, by
 * `Sec-Fetch-Site` or `Origin`: a form of a same-site page (another subdomain or port) carries the
 * `SameSite=Strict` session cookie, so `getSession(req)` must not take it for the user's own.
 * Requests without either header (not a browser's) pass.
 */
export function foreignChange(req: Request, origin: string): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  const site = req.headers.get('sec-fetch-site');
  const from = req.headers.get('origin');
  return (site !== null && site !== 'same-origin' && site !== 'none') || (from !== null && from !== origin);
}
