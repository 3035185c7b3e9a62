/**
 * Why the last sign-in failed, carried from the callback (a navigation) to the page's next
 * `{basePath}/session` request, which reports it once: an encrypted cookie that lives a few
 * minutes, so the app's URL stays as it was and nothing in it can be forged.
 */
import type { AuthError } from '../errors.js';
import type { BffSettings } from './config.js';
import { cookieName, readCookies, serializeCookie } from './cookies.js';
import type { Sealer } from './seal.js';

const NOTICE_COOKIE = 'cognito-error';
const NOTICE_TTL = 300;
const DETAILS = ['reason', 'error', 'errorDescription', 'oauthError'] as const;
/**
 * Characters kept of each text: any site can link to the callback with an error_description of its
 * choosing, and the cookie must stay well under the 4,096 bytes browsers keep and the few kB of
 * Cookie header the app's other cookies leave.
 */
const MAX_TEXT = 300;
const short = (t: string): string => (t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1)}…` : t);

/** An AuthError as the browser client rebuilds it: `{ code, message, reason?, error?, errorDescription?, oauthError? }`. */
export type Notice = Record<string, string>;

export const toNotice = (e: AuthError): Notice => {
  const n: Notice = { code: e.code, message: e.message };
  for (const k of DETAILS) if (e[k] !== undefined) n[k] = e[k];
  return n;
};

export function createNotices(s: BffSettings, sealer: Sealer) {
  const o = { secure: s.secure, sameSite: 'Strict' as const };
  return {
    /**
     * The `Set-Cookie` value that keeps `error` for the page. `untied`: the callback was tied to no
     * sign-in of this browser (any site can link to it), so a live session outweighs it.
     */
    async put(error: AuthError, untied = false): Promise<string> {
      const n = Object.fromEntries(Object.entries(toNotice(error)).map(([k, v]) => [k, short(v)]));
      return serializeCookie(NOTICE_COOKIE, await sealer.seal({ n, ...(untied ? { u: 1 } : {}) }, 'notice', NOTICE_TTL), { ...o, maxAge: NOTICE_TTL });
    },
    /** The request's notice, if any, and the `Set-Cookie` value that clears it. */
    async take(req: Request): Promise<{ notice: Notice | null; untied?: boolean; setCookies: string[] }> {
      const token = readCookies(req).get(cookieName(NOTICE_COOKIE, s.secure));
      if (token === undefined) return { notice: null, setCookies: [] };
      const payload = await sealer.open(token, 'notice');
      const n = payload?.n as Notice | undefined;
      const ok = !!n && typeof n === 'object' && Object.values(n).every((v) => typeof v === 'string') && typeof n.code === 'string';
      return { notice: ok ? n : null, untied: payload?.u === 1, setCookies: [serializeCookie(NOTICE_COOKIE, '', { ...o, maxAge: 0 })] };
    },
  };
}
