import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthError, type CognitoAuth } from '../../src/index.js';
import { ALICE, CLIENT_ID, DOMAIN } from '../support/cognito.js';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * A stand-in for the popup window: about:blank and readable; once a test sets `away` (the hosted
 * UI loaded without cutting it off) reading its location throws, as a cross-origin page's does.
 */
function fakePopup() {
  let href = 'about:blank';
  const popup = {
    closed: false,
    away: false,
    close: vi.fn(() => void (popup.closed = true)),
    location: {
      get href(): string {
        if (popup.away) throw new DOMException('Blocked a frame from accessing a cross-origin frame', 'SecurityError');
        return href;
      },
      set href(url: string) {
        href = url;
      },
    },
    sentTo: () => href,
  };
  return popup;
}
type FakePopup = ReturnType<typeof fakePopup>;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Click "sign in with a popup": the popup the client opened, and the pending result. */
async function startPopup(app: TestApp, popup: FakePopup | null = fakePopup()) {
  const open = vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window);
  const result = app.auth.signInWithPopup({ returnTo: '/ignored-by-popups' });
  expect(open).toHaveBeenCalledTimes(1); // synchronously, inside the click
  result.catch(() => undefined);
  if (popup) await vi.waitFor(() => expect(popup.sentTo()).toMatch(/^https:\/\//));
  return { popup, result };
}

/** The popup's page: the app itself at the callback URL, running init() (which must relay, not exchange). */
async function popupPage(app: TestApp, callbackUrl: string): Promise<CognitoAuth> {
  vi.spyOn(window, 'close').mockImplementation(() => undefined);
  window.happyDOM?.setURL(callbackUrl);
  const page = app.another();
  await page.init();
  return page;
}

describe('signInWithPopup()', { timeout: 20_000 }, () => {
  it('signs in through the popup: the callback page relays, this page exchanges and verifies, the popup closes', async () => {
    const app = await createTestApp();
    await app.auth.init();
    const signedIn = vi.fn();
    app.auth.on('signedIn', signedIn);
    const { popup, result } = await startPopup(app);
    const authorize = new URL((popup as FakePopup).sentTo());
    expect(authorize.origin + authorize.pathname).toBe(`${DOMAIN}/oauth2/authorize`);
    expect(authorize.searchParams.get('state')).toMatch(/^p\.[A-Za-z0-9_-]{40,}$/);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(app.auth.getState().status).toBe('unauthenticated'); // never loading while the popup is open

    const page = await popupPage(app, app.cognito.authorize(authorize.href, ALICE));
    const user = await result;
    expect(user.principal).toBe('alice');
    expect(app.auth.getState()).toMatchObject({ status: 'authenticated', user: { principal: 'alice' } });
    expect(signedIn).toHaveBeenCalledTimes(1);
    expect(app.cognito.pool.counts.token).toBe(1); // one exchange, by this page
    expect(page.getState().status).toBe('loading'); // the popup page exchanged nothing
    expect(window.close).toHaveBeenCalled();
    expect(popup?.close).toHaveBeenCalled();
    expect(app.navigations).toEqual([]); // this page never left
  });

  it('a blocked popup rejects at once with popup_blocked, nothing changed', async () => {
    const app = await createTestApp();
    await app.auth.init();
    const { result } = await startPopup(app, null);
    await expect(result).rejects.toMatchObject({ name: 'AuthError', code: 'popup_blocked' });
    expect(app.auth.getState()).toMatchObject({ status: 'unauthenticated', error: null });
    expect(Object.keys(sessionStorage).filter((k) => k.includes('.tx.'))).toEqual([]);
  });

  it('a popup closed on the hosted UI rejects with popup_closed; the state is kept', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    const { popup, result } = await startPopup(app);
    (popup as FakePopup).away = true; // on the hosted UI
    await new Promise((r) => setTimeout(r, 700)); // the client saw it there
    (popup as FakePopup).closed = true;
    await expect(result).rejects.toMatchObject({ code: 'popup_closed' });
    expect(app.auth.getState()).toMatchObject({ status: 'authenticated', user: { principal: 'alice' } });
  });

  it('a popup cut off by a Cross-Origin-Opener-Policy (closed before it was seen away) still completes', async () => {
    const app = await createTestApp();
    await app.auth.init();
    const { popup, result } = await startPopup(app);
    (popup as FakePopup).closed = true; // what `closed` says once the hosted UI's COOP severed the popup
    await new Promise((r) => setTimeout(r, 1_200));
    await popupPage(app, app.cognito.authorize((popup as FakePopup).sentTo(), ALICE));
    expect((await result).principal).toBe('alice');
  });

  it('ignores URLs of other sign-ins on the channel; a failed exchange rejects and leaves the state alone', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    const { popup, result } = await startPopup(app);
    const other = new BroadcastChannel(`cognito-spa-auth.${CLIENT_ID}.popup`);
    other.postMessage('https://app.example.com/callback?code=forged&state=p.someone-else');
    other.postMessage({ not: 'a url' });
    await new Promise((r) => setTimeout(r, 200));
    const state = new URL((popup as FakePopup).sentTo()).searchParams.get('state') as string;
    other.postMessage(`https://app.example.com/callback?error=access_denied&state=${state}`);
    other.close();
    const e = await result.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect(e).toMatchObject({ code: 'idp_error', error: 'access_denied' });
    expect(app.auth.getState()).toMatchObject({ status: 'authenticated', user: { principal: 'alice' } });
    expect(app.cognito.pool.counts.token).toBe(1); // alice's sign-in only
  });

  it('gives up after 5 minutes with popup_timeout and closes the popup', async () => {
    const app = await createTestApp();
    await app.auth.init();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const { popup, result } = await startPopup(app);
      (popup as FakePopup).closed = true; // severed: only the timeout can end it
      await vi.advanceTimersByTimeAsync(299_000);
      expect(popup?.close).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1_000);
      await expect(result).rejects.toMatchObject({ code: 'popup_timeout' });
      expect(popup?.close).toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('bad sign-in options reject with invalid_config and close the popup', async () => {
    const app = await createTestApp();
    const popup = fakePopup();
    vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window);
    await expect(app.auth.signInWithPopup({ returnTo: 'https://evil.example/' })).rejects.toMatchObject({ code: 'invalid_config' });
    expect(popup.close).toHaveBeenCalled();
  });
});
