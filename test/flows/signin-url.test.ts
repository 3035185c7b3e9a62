import { createHash } from 'node:crypto';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/index.js';
import { createTestApp } from '../support/app.js';

describe('signIn builds Cognito’s authorize URL and makes no request when domain is set', () => {
  it('sends code + PKCE S256, state, nonce and the configured scope to {domain}/oauth2/authorize', async () => {
    const app = await createTestApp();
    await app.auth.signIn();
    const url = new URL(app.navigations[0] as string);
    expect(url.origin + url.pathname).toBe('https://test-app.auth.us-east-1.amazoncognito.com/oauth2/authorize');
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('test-client-id');
    expect(p.get('redirect_uri')).toBe('https://app.example.com/callback');
    expect(p.get('scope')).toBe('openid email profile');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(p.get('state')).toMatch(/^[\w-]{43}$/); // base64url: survives Cognito's double encoding
    expect(p.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(p.has('prompt')).toBe(false);
    expect(app.cognito.pool.counts).toEqual({ token: 0, refresh: 0, jwks: 0, discovery: 0, revoke: 0 });
    // the challenge is S256 of a verifier the SDK keeps for the callback
    const stored = Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k) ?? '').find((v) => v.includes('codeVerifier'));
    const verifier = JSON.parse(stored as string).codeVerifier as string;
    expect(base64url.encode(createHash('sha256').update(verifier).digest())).toBe(p.get('code_challenge'));
  });

  it('sends callbackUrl as redirect_uri exactly as written: Cognito compares it with the allowed callback URLs as a string', async () => {
    // An allowed callback URL registered without a path: "https://app.example.com/" would be another URL to Cognito.
    const app = await createTestApp({ callbackUrl: 'https://app.example.com' });
    app.cognito.pool.callbackUrls = ['https://app.example.com'];
    await app.signInAs();
    expect(new URL(app.navigations[0] as string).searchParams.get('redirect_uri')).toBe('https://app.example.com');
    expect(app.auth.getState().status).toBe('authenticated');
    // init() still knows the callback when Cognito lands on the origin's root
    await app.reachCallback();
    expect(app.another({ callbackUrl: 'https://app.example.com' }).isCallback()).toBe(true);
    // as written, but without the line end of a value read from a .env file
    await app.another({ callbackUrl: 'https://app.example.com\r\n', navigate: (u) => void app.navigations.push(u) }).signIn();
    expect(new URL(app.navigations.at(-1) as string).searchParams.get('redirect_uri')).toBe('https://app.example.com');
  });

  it('passes prompt, max_age, identity_provider, login_hint and lang; every sign-in gets a fresh state', async () => {
    const app = await createTestApp({ prompt: 'login' });
    await app.auth.signIn({ maxAge: 600, identityProvider: 'Google', loginHint: 'alice@example.com', lang: 'fr', scopes: 'openid email' });
    await app.auth.signIn({ prompt: 'select_account', idpIdentifier: 'example.com' });
    const [a, b] = app.navigations.map((u) => new URL(u).searchParams);
    expect(Object.fromEntries(a as URLSearchParams)).toMatchObject({ prompt: 'login', max_age: '600', identity_provider: 'Google', login_hint: 'alice@example.com', lang: 'fr', scope: 'openid email' });
    expect(b?.get('prompt')).toBe('select_account');
    expect(b?.get('idp_identifier')).toBe('example.com');
    expect(b?.has('identity_provider')).toBe(false);
    expect(a?.get('state')).not.toBe(b?.get('state'));
  });

  it.each([
    ['identityProvider and idpIdentifier together', { identityProvider: 'Google', idpIdentifier: 'example.com' }, /exclude each other/],
    ['returnTo on another origin', { returnTo: 'https://evil.example.com/steal' }, /returnTo/],
    ['a protocol-relative returnTo', { returnTo: '//evil.example.com/x' }, /returnTo/],
    ['a javascript: returnTo', { returnTo: 'javascript:alert(1)' }, /returnTo/],
    ['a backslash returnTo', { returnTo: '/\\evil.example.com' }, /returnTo/],
    ['an unknown prompt', { prompt: 'always' }, /prompt/],
    ['scopes without openid', { scopes: 'email' }, /openid/],
    ['an unknown option', { redirectUri: 'https://evil.example.com' }, /unknown option/],
  ])('refuses %s with invalid_config and does not navigate', async (_n, options, message) => {
    const app = await createTestApp();
    const err = (await app.auth.signIn(options as never).catch((e: unknown) => e)) as AuthError;
    expect(err).toBeInstanceOf(AuthError);
    expect(err.code).toBe('invalid_config');
    expect(err.message).toMatch(message);
    expect(app.navigations).toEqual([]);
  });

  it('keeps a same-origin absolute returnTo as a path', async () => {
    const app = await createTestApp();
    await app.reachCallback(undefined, { returnTo: 'https://app.example.com/a/b?c=1' });
    expect((await app.auth.handleCallback()).returnTo).toBe('/a/b?c=1');
  });

  it('without domain, reads the endpoints from discovery once, and refuses a discovery of another issuer', async () => {
    const app = await createTestApp({ domain: undefined });
    await app.auth.signIn();
    await app.auth.signIn();
    expect(new URL(app.navigations[0] as string).origin).toBe('https://test-app.auth.us-east-1.amazoncognito.com');
    expect(app.cognito.pool.counts.discovery).toBe(1);

    const { http, HttpResponse } = await import('msw');
    const { server } = await import('../support/setup.js');
    server.use(http.get('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool/.well-known/openid-configuration', () =>
      HttpResponse.json({ issuer: 'https://evil.example.com', authorization_endpoint: 'https://evil.example.com/a', token_endpoint: 'https://evil.example.com/t' })));
    const other = app.another({ domain: undefined });
    await expect(other.signIn()).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringMatching(/issuer/) });
  });

  it('a discovery that fails is network_error, and is tried again next time', async () => {
    const { http, HttpResponse } = await import('msw');
    const { server } = await import('../support/setup.js');
    const app = await createTestApp({ domain: undefined });
    server.use(http.get('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool/.well-known/openid-configuration', () => new HttpResponse('oops', { status: 503 }), { once: true }));
    await expect(app.auth.signIn()).rejects.toMatchObject({ code: 'network_error', status: 503 });
    await app.auth.signIn();
    expect(app.navigations).toHaveLength(1);
  });
});
