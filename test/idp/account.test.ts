// The local IdP's /signup and /forgotPassword, and its Cross-Origin-Opener-Policy, driven with
// plain fetch like a browser would.
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LocalIdp } from '../../demo/idp/server.mjs';
import { Browser, CALLBACK, exchange, location, pkce, start, verify } from './harness.js';

/** The start of a sign-in at one of the hosted-UI pages (`/signup`, `/forgotPassword`, `/oauth2/authorize`). */
function pageUrl(idp: LocalIdp, path: string, extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkce();
  const state = randomBytes(12).toString('base64url');
  const url = `${idp.domain}${path}?${new URLSearchParams({
    client_id: idp.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email profile',
    state, nonce: 'n-1', code_challenge: challenge, code_challenge_method: 'S256', ...extra,
  })}`;
  return { url, state, verifier };
}

/** Follow redirects on the domain until a page (200) or the app's callback. */
async function follow(idp: LocalIdp, browser: Browser, url: string): Promise<{ url: string; res: Response }> {
  let res = await browser.fetch(url);
  while (res.status >= 300 && res.status < 400) {
    url = location(res, idp.domain);
    if (url.startsWith(CALLBACK)) break;
    res = await browser.fetch(url);
  }
  return { url, res };
}

const deliveredCode = (html: string): string => /id="deliveredCode">(\d{6})</.exec(html)?.[1] ?? '';

describe('local IdP: sign-up and forgot-password pages', () => {
  let idp: LocalIdp;
  beforeAll(async () => {
    idp = await start();
  });
  afterAll(async () => {
    await idp.stop();
  });

  it('/signup shows the sign-up form; a confirmed sign-up ends at the callback signed in, email verified', async () => {
    const browser = new Browser();
    const start = pageUrl(idp, '/signup');
    const page = await follow(idp, browser, start.url);
    expect(page.url).toMatch(new RegExp(`^${idp.domain}/login/`));
    const html = await page.res.text();
    expect(html).toContain('Sign up with a new account');
    expect(page.res.headers.get('cross-origin-opener-policy')).toBe('same-origin');

    let res = await browser.post(page.url, { screen: 'signup', username: 'erin', email: 'erin@example.com', password: 'weak' });
    expect(await res.text()).toContain('Password must have at least 8 characters.');
    res = await browser.post(page.url, { screen: 'signup', username: 'alice', email: 'new@example.com', password: 'Password1!' });
    expect(await res.text()).toContain('already exists');
    res = await browser.post(page.url, { screen: 'signup', username: 'erin', email: 'erin@example.com', password: 'Erin-Pass1' });
    const confirm = await res.text();
    const code = deliveredCode(confirm);
    expect(code).toMatch(/^\d{6}$/);
    res = await browser.post(page.url, { screen: 'confirm', username: 'erin', code: code === '000000' ? '000001' : '000000' });
    expect(await res.text()).toContain('Invalid verification code');
    res = await browser.post(page.url, { screen: 'confirm', username: 'erin', code });
    const done = await follow(idp, browser, location(res, idp.domain));
    const callback = new URL(done.url);
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    expect(callback.searchParams.get('state')).toBe(start.state);
    const { body } = await exchange(idp, { code: callback.searchParams.get('code') ?? '', state: start.state, verifier: start.verifier, nonce: 'n-1' });
    const claims = await verify(idp, body.id_token as string);
    expect(claims).toMatchObject({ 'cognito:username': 'erin', email: 'erin@example.com', email_verified: true, nonce: 'n-1' });
  });

  it('an unconfirmed sign-up cannot sign in', async () => {
    const browser = new Browser();
    const page = await follow(idp, browser, pageUrl(idp, '/signup').url);
    await browser.post(page.url, { screen: 'signup', username: 'dave', email: 'dave@example.com', password: 'Dave-Pass1' });
    const login = await follow(idp, browser, pageUrl(idp, '/oauth2/authorize').url);
    const res = await browser.post(login.url, { username: 'dave', password: 'Dave-Pass1' });
    expect(await res.text()).toContain('Incorrect username or password.');
  });

  it('/forgotPassword resets the password with the code, then the user signs in with the new one', async () => {
    const browser = new Browser();
    const start = pageUrl(idp, '/forgotPassword');
    const page = await follow(idp, browser, start.url);
    expect(await page.res.text()).toContain('Forgot your password?');
    let res = await browser.post(page.url, { screen: 'forgot', username: 'nobody' });
    expect(await res.text()).toContain('not found');
    res = await browser.post(page.url, { screen: 'forgot', username: 'bob' });
    const code = deliveredCode(await res.text());
    res = await browser.post(page.url, { screen: 'reset', username: 'bob', code, password: 'short' });
    expect(await res.text()).toContain('at least 8 characters');
    res = await browser.post(page.url, { screen: 'reset', username: 'bob', code, password: 'Bob-NewPass1' });
    expect(await res.text()).toContain('Your password was changed');
    res = await browser.post(page.url, { username: 'bob', password: 'Password1!' });
    expect(await res.text()).toContain('Incorrect username or password.');
    res = await browser.post(page.url, { username: 'bob', password: 'Bob-NewPass1' });
    const done = await follow(idp, browser, location(res, idp.domain));
    expect(new URL(done.url).searchParams.get('state')).toBe(start.state);
  });

  it('refuses an unknown client or redirect_uri like /oauth2/authorize', async () => {
    const browser = new Browser();
    for (const extra of [{ client_id: 'nope' }, { redirect_uri: 'https://evil.example/callback' }] as Array<Record<string, string>>) {
      const res = await browser.fetch(pageUrl(idp, '/signup', extra).url);
      expect(res.status).toBe(400);
    }
  });

  it('/logout with redirect_uri and response_type ends the session and starts a sign-in with every parameter', async () => {
    const browser = new Browser();
    const first = await follow(idp, browser, pageUrl(idp, '/oauth2/authorize').url);
    await browser.post(first.url, { username: 'alice', password: 'Password1!' });
    const next = pageUrl(idp, '/logout');
    const res = await browser.fetch(next.url);
    const to = new URL(location(res, idp.domain));
    expect(to.pathname).toBe('/oauth2/authorize');
    expect(Object.fromEntries(to.searchParams)).toEqual(Object.fromEntries(new URL(next.url).searchParams));
    const login = await follow(idp, browser, to.href);
    expect(login.url).toMatch(/\/login\//); // the session is gone: the form again
  });
});
