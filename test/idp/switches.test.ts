// The local IdP's switches for what real Cognito pools do (demo/idp/README.md, "Switches").
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';

import type { LocalIdp } from '../../demo/idp/server.mjs';
import { Browser, CALLBACK, authorizeUrl, exchange, location, refresh, signIn, start, verify } from './harness.js';

let idp: LocalIdp | undefined;
afterEach(async () => {
  await idp?.stop();
  idp = undefined;
});

async function signedIn(options: Parameters<typeof start>[0] = {}, username = 'alice') {
  idp = await start(options);
  const s = await signIn(idp, new Browser(), username);
  const { body } = await exchange(idp, s);
  return { idp, tokens: body as { id_token: string; access_token: string; refresh_token: string } };
}

describe('local IdP switches', () => {
  it('separate ID and access token lifetimes', async () => {
    const { tokens } = await signedIn({ accessTokenTtl: 3600, idTokenTtl: 300 });
    const id = decodeJwt(tokens.id_token);
    const access = decodeJwt(tokens.access_token);
    expect((id.exp ?? 0) - (id.iat ?? 0)).toBe(300);
    expect((access.exp ?? 0) - (access.iat ?? 0)).toBe(3600);
  });

  it('rotationMovesAuthTime: a refresh carries a newer auth_time in both tokens', async () => {
    const { idp, tokens } = await signedIn({ rotateRefreshTokens: true, rotationMovesAuthTime: true });
    const first = decodeJwt(tokens.id_token).auth_time as number;
    await new Promise((r) => setTimeout(r, 1100));
    const { res, body } = await refresh(idp, tokens.refresh_token);
    expect(res.status).toBe(200);
    const id = await verify(idp, body.id_token as string);
    expect(id.auth_time).toBeGreaterThan(first);
    expect(decodeJwt(body.access_token as string).auth_time).toBe(id.auth_time);
    expect(body.refresh_token).toEqual(expect.any(String));
  });

  it('refreshError: refresh grants answer a Cognito-shaped OAuth error; code grants are untouched', async () => {
    const { idp, tokens } = await signedIn({ refreshError: 'invalid_client' });
    const { res, body } = await refresh(idp, tokens.refresh_token);
    expect(res.status).toBe(400);
    expect(body).toEqual({ error: 'invalid_client' });
    idp.switches.refreshError = null;
    expect((await refresh(idp, tokens.refresh_token)).res.status).toBe(200);
  });

  it('nextAuthorizeError: one error redirect without state, then sign-in works again', async () => {
    idp = await start();
    idp.switches.nextAuthorizeError = { error: 'invalid_request', error_description: 'Invalid SAML response' };
    const browser = new Browser();
    const res = await browser.fetch(authorizeUrl(idp, { state: 'abc', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }));
    expect(res.status).toBe(302);
    const back = new URL(location(res, idp.domain));
    expect(back.origin + back.pathname).toBe(CALLBACK);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'invalid_request', error_description: 'Invalid SAML response' });
    expect(idp.switches.nextAuthorizeError).toBeNull();
    expect((await signIn(idp, browser)).code).not.toBe('');
  });

  it('stallTokenReplies: the headers come, the body never does; later requests are answered', async () => {
    const { idp, tokens } = await signedIn();
    idp.switches.stallTokenReplies = 1;
    const res = await fetch(`${idp.domain}/oauth2/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: idp.clientId, refresh_token: tokens.refresh_token }),
    });
    expect(res.status).toBe(200);
    const body = await Promise.race([res.text(), new Promise((r) => setTimeout(() => r('stalled'), 500))]);
    expect(body).toBe('stalled');
    expect((await refresh(idp, tokens.refresh_token)).res.status).toBe(200);
  });

  it('a federated (Google) user: identities, the automatic provider group, email_verified false', async () => {
    const { idp, tokens } = await signedIn({}, 'carol@example.com');
    const id = await verify(idp, tokens.id_token);
    expect(id['cognito:username']).toBe('google_102143857364915830163');
    expect(id.email_verified).toBe(false);
    expect(id['cognito:groups']).toEqual([`${idp.poolId}_Google`]);
    expect(id.identities).toEqual([expect.objectContaining({ providerName: 'Google', providerType: 'Google', userId: '102143857364915830163', issuer: null })]);
  });
});
