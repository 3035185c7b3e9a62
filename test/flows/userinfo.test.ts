import { http, HttpResponse } from 'msw';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { server } from '../support/setup.js';
import { ALICE, AUTHORITY, DOMAIN, type CognitoMock } from '../support/cognito.js';
import { createTestApp } from '../support/app.js';

const USERINFO = `${DOMAIN}/oauth2/userInfo`;

/**
 * Cognito's /oauth2/userInfo: the bearer access token must verify against the pool's keys; the
 * attributes come back as Cognito sends them (booleans as strings). Returns the tokens it saw.
 */
function userInfoEndpoint(cognito: CognitoMock, reply: (token: string) => Response | null = () => null): string[] {
  const seen: string[] = [];
  const keys = createLocalJWKSet({ keys: cognito.pool.keys.map((k) => k.jwk) });
  server.use(
    http.get(USERINFO, async ({ request }) => {
      const token = /^Bearer (\S+)$/.exec(request.headers.get('Authorization') ?? '')?.[1] ?? '';
      seen.push(token);
      const custom = reply(token);
      if (custom) return custom;
      try {
        const { payload } = await jwtVerify(token, keys, { issuer: AUTHORITY });
        if (payload.token_use !== 'access') throw new Error('not an access token');
        return HttpResponse.json({
          sub: payload.sub,
          email: ALICE.email,
          email_verified: 'true',
          phone_number: '+15555550100',
          phone_number_verified: 'false',
          'custom:newsletter': 'true',
          name: ALICE.name,
          username: 'alice',
        });
      } catch {
        return HttpResponse.json({ error: 'invalid_token', error_description: 'Invalid access token' }, { status: 401 });
      }
    }),
  );
  return seen;
}

describe('fetchUserInfo()', { timeout: 20_000 }, () => {
  it("returns the user's attributes with Cognito's string booleans turned into booleans", async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    const seen = userInfoEndpoint(app.cognito);
    const info = await app.auth.fetchUserInfo();
    expect(info).toEqual({
      sub: ALICE.sub,
      email: 'alice@example.com',
      email_verified: true,
      phone_number: '+15555550100',
      phone_number_verified: false,
      'custom:newsletter': 'true', // only *_verified claims are booleans; other strings stay strings
      name: 'Alice Admin',
      username: 'alice',
    });
    expect(seen).toEqual([await app.auth.getAccessToken()]);
  });

  it('asks Cognito on every call: nothing is cached', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    const seen = userInfoEndpoint(app.cognito);
    await app.auth.fetchUserInfo();
    await app.auth.fetchUserInfo();
    expect(seen).toHaveLength(2);
  });

  it('renews the access token first when it is due', async () => {
    const app = await createTestApp({ renewLeadTime: 60, silentRenew: false });
    await app.signInAs(ALICE);
    const before = await app.auth.getAccessToken();
    const seen = userInfoEndpoint(app.cognito);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 3_570_000); // 30 s before the access token expires
      await app.auth.fetchUserInfo();
    } finally {
      vi.useRealTimers();
    }
    expect(app.cognito.pool.counts.refresh).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toBe(before);
  });

  it('a refused access token is renewed once and the request made again', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    const first = await app.auth.getAccessToken();
    const seen = userInfoEndpoint(app.cognito, (token) => (token === first ? HttpResponse.json({ error: 'invalid_token' }, { status: 401 }) : null));
    expect((await app.auth.fetchUserInfo()).email).toBe('alice@example.com');
    expect(app.cognito.pool.counts.refresh).toBe(1);
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(first);
  });

  it('refused again after the renew: login_required, the session kept', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    userInfoEndpoint(app.cognito, () => HttpResponse.json({ error: 'invalid_token' }, { status: 401 }));
    await expect(app.auth.fetchUserInfo()).rejects.toMatchObject({ name: 'AuthError', code: 'login_required', status: 401, error: 'invalid_token' });
    expect(app.auth.getState().status).toBe('authenticated');
  });

  it('refused, and the refresh token too: login_required and signed out', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    for (const grant of app.cognito.pool.refresh.values()) grant.alive = false; // revoked elsewhere
    userInfoEndpoint(app.cognito, () => HttpResponse.json({ error: 'invalid_token' }, { status: 401 }));
    await expect(app.auth.fetchUserInfo()).rejects.toMatchObject({ code: 'login_required' });
    expect(app.auth.getState().status).toBe('unauthenticated');
  });

  it.each([
    [403, { error: 'insufficient_scope' }, 'insufficient_scope'],
    [500, { error: 'internal' }, 'internal'],
    [502, null, undefined],
  ])('answered %i: userinfo_failed with the status and the error', async (status, body, error) => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    userInfoEndpoint(app.cognito, () => (body ? HttpResponse.json(body, { status }) : new HttpResponse('Bad gateway', { status })));
    const e = await app.auth.fetchUserInfo().catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'AuthError', code: 'userinfo_failed', status });
    expect((e as { error?: string }).error).toBe(error);
    expect(app.auth.getState().status).toBe('authenticated');
  });

  it.each([
    ['another user', () => HttpResponse.json({ sub: 'someone-else', email: 'x@example.com' })],
    ['not JSON', () => new HttpResponse('<html>', { status: 200, headers: { 'Content-Type': 'text/html' } })],
    ['a JSON array', () => HttpResponse.json([{ sub: ALICE.sub }])],
  ])('a reply about %s is not used: userinfo_failed', async (_name, reply) => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    userInfoEndpoint(app.cognito, reply);
    await expect(app.auth.fetchUserInfo()).rejects.toMatchObject({ code: 'userinfo_failed', reason: 'sub' });
  });

  it('a network failure is network_error', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    server.use(http.get(USERINFO, () => HttpResponse.error()));
    await expect(app.auth.fetchUserInfo()).rejects.toMatchObject({ code: 'network_error' });
  });

  it('signed out: login_required without a request', async () => {
    const app = await createTestApp();
    await app.auth.init();
    const seen = userInfoEndpoint(app.cognito);
    await expect(app.auth.fetchUserInfo()).rejects.toMatchObject({ code: 'login_required' });
    expect(seen).toEqual([]);
  });
});
