import { AuthError } from './errors.js';
import type { Internals } from './internals.js';
import type { SignInOptions, User } from './types.js';

/** The state of a popup sign-in starts with this (base64url has no dot): its callback page relays. */
const MARK = 'p.';
const POLL_MS = 500;
/** How long the popup may take: sign-up and MFA included, and the only end of a popup Cognito cut off. */
const TIMEOUT_S = 300;
const channelName = (c: Internals): string => `cognito-spa-auth.${c.cfg.clientId}.popup`;
const closed = (): AuthError => new AuthError('popup_closed', 'the popup was closed');

/**
 * Sign in in `popup`, which the client opened inside the user's gesture (`null`: the browser
 * blocked it). The popup shows the hosted UI and comes back to the callback URL, whose `init()`
 * hands the URL over ({@link relay}); this page completes it as a callback: its own transaction
 * (state checked once), the code exchanged and every token verified here.
 *
 * The URL comes over a BroadcastChannel, which only pages of this origin share: Cognito's pages
 * send `Cross-Origin-Opener-Policy: same-origin`, which cuts `window.opener` (and `postMessage`
 * with it) on the way. Only the URL carrying this sign-in's secret `state` is taken.
 */
export async function signInWithPopup(c: Internals, popup: Window | null, options: SignInOptions = {}): Promise<User> {
  if (!popup) throw new AuthError('popup_blocked', 'popup blocked: call signInWithPopup() in a click handler');
  let url: string;
  try {
    url = await c.prepare(options, undefined, MARK);
  } catch (e) {
    popup.close();
    throw e;
  }
  const state = new URL(url).searchParams.get('state');
  const callback = await new Promise<string>((resolve, reject) => {
    const channel = new BroadcastChannel(channelName(c));
    let away = false; // the popup was seen on the hosted UI's origin, still ours
    let closedTicks = 0;
    const done = (error: AuthError | null, to = ''): void => {
      clearInterval(poll);
      clearTimeout(timer);
      channel.close();
      popup.close();
      // An abandoned sign-in's transaction is left to expire, like one abandoned at the hosted UI.
      if (error) reject(error);
      else resolve(to);
    };
    channel.onmessage = ({ data }: MessageEvent) => {
      try {
        if (new URL(data as string).searchParams.get('state') === state) done(null, data as string);
      } catch {
        /* not a URL: not ours */
      }
    };
    const poll = setInterval(() => {
      if (!popup.closed) {
        try {
          void popup.location.href; // readable while about:blank, not on the hosted UI
        } catch {
          away = true;
        }
      } else if (away && closedTicks++) {
        // Closed after it was seen on the hosted UI: the user closed it (one more tick lets a URL sent
        // just before arrive). Closed before: Cognito's Cross-Origin-Opener-Policy cut it off on its way
        // there, so `closed` says nothing more, and only the callback or the timeout ends this.
        done(closed());
      }
    }, POLL_MS);
    const timer = setTimeout(() => done(new AuthError('popup_timeout', `no sign-in in the popup within ${TIMEOUT_S} s`)), TIMEOUT_S * 1000);
    if (popup.closed) done(closed());
    else popup.location.href = url;
  });
  return (await c.finish(callback)).user;
}

/**
 * In the popup, on the callback URL of a popup sign-in (`init()` calls this): hand the URL to
 * the page that opened the popup and close. Nothing is exchanged here: the transaction lives in
 * the opener.
 */
export function relay(c: Internals): void {
  // Only ever run in a browser, on a callback page.
  const channel = new BroadcastChannel(channelName(c));
  channel.postMessage(location.href);
  channel.close();
  history.replaceState(null, '', location.pathname); // the code leaves the address bar
  close();
}
