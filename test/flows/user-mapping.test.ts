import { describe, expect, it } from 'vitest';
import type { AuthError, CognitoAuthConfig } from '../../src/index.js';
import { ALICE, type UserProfile } from '../support/cognito.js';
import { createTestApp } from '../support/app.js';

async function userFor(profile: UserProfile, config: Partial<CognitoAuthConfig> = {}) {
  const app = await createTestApp(config);
  await app.reachCallback(profile);
  return (await app.auth.handleCallback()).user;
}

describe('claims become the app’s User', () => {
  it('principal is the first present jwtPrincipalClaims claim', async () => {
    expect((await userFor(ALICE)).principal).toBe('alice');
    expect((await userFor(ALICE, { jwtPrincipalClaims: ['preferred_username', 'email'] })).principal).toBe('alice');
    expect((await userFor({ ...ALICE, email: 'a.smith@example.com' }, { jwtPrincipalClaims: ['email'] })).principal).toBe('a.smith');
    expect((await userFor(ALICE, { jwtPrincipalClaims: ['nickname'] })).principal).toBe(ALICE.sub);
  });

  it('field:claim mapping splits at the first colon only', async () => {
    const user = await userFor(ALICE, { jwtPrincipalClaimsMapping: ['username:cognito:username', 'email:email', 'firstName:given_name', 'missing:nope'] });
    expect(user.attributes).toEqual({ username: 'alice', email: 'alice@example.com', firstName: 'Alice' });
  });

  it('email and domain come from the email claim', async () => {
    const user = await userFor({ ...ALICE, email: 'Alice@Example.COM' });
    expect(user.email).toBe('Alice@Example.COM');
    expect(user.domain).toBe('example.com');
  });

  it('isAdmin by principal or by email, case-insensitive', async () => {
    expect((await userFor(ALICE, { adminPrincipals: ['ALICE'] })).isAdmin).toBe(true);
    expect((await userFor(ALICE, { adminPrincipals: ['alice@example.com'] })).isAdmin).toBe(true);
    expect((await userFor(ALICE, { adminPrincipals: ['bob'] })).isAdmin).toBe(false);
  });

  it('groups from cognito:groups, empty when absent', async () => {
    expect((await userFor(ALICE)).groups).toEqual(['admins', 'readers']);
    expect((await userFor({ ...ALICE, 'cognito:groups': undefined })).groups).toEqual([]);
  });

  it('with enforcePrincipalDomain, a user of another domain is refused and nothing is stored', async () => {
    const app = await createTestApp({ principalDomain: 'example.com', enforcePrincipalDomain: true });
    await app.reachCallback({ ...ALICE, 'cognito:username': 'mallory', email: 'mallory@other.org' });
    const err = (await app.auth.handleCallback().catch((e: unknown) => e)) as AuthError;
    expect(err.code).toBe('principal_domain_forbidden');
    expect(err.message).toMatch(/other\.org/);
    expect(Object.keys(sessionStorage).filter((k) => k.endsWith('.session'))).toEqual([]);
    expect(app.auth.getState()).toMatchObject({ status: 'error', user: null });
  });

  it('with enforcePrincipalDomain, a user of the domain signs in; without it anyone does', async () => {
    expect((await userFor(ALICE, { principalDomain: 'example.com', enforcePrincipalDomain: true })).domain).toBe('example.com');
    expect((await userFor({ ...ALICE, email: 'x@other.org' }, { principalDomain: 'example.com' })).domain).toBe('other.org');
  });
});
