import type { User } from '../types.js';

/** The issuer and app client of the fake tokens: no real pool has this id. */
export const TEST_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestKit';
export const TEST_CLIENT_ID = 'test-kit-client';

const nowS = (): number => Math.floor(Date.now() / 1000);

/**
 * A complete {@link User} from a principal or from the fields a test cares about; the rest is
 * filled in the way the SDK maps a Cognito ID token (email domain, groups, claims).
 *
 * @example
 * testUser('alice')                                   // alice@example.com, no groups, not an admin
 * testUser({ principal: 'bob', groups: ['admins'], isAdmin: true, attributes: { name: 'Bob' } })
 */
export function testUser(input: string | Partial<User> = {}): User {
  const u: Partial<User> = typeof input === 'string' ? { principal: input } : input;
  const principal = u.principal ?? 'test-user';
  const email = 'email' in u ? u.email : `${principal}@example.com`;
  const domain = u.domain ?? email?.split('@')[1];
  const groups = [...(u.groups ?? [])];
  const expiresAt = u.expiresAt ?? nowS() + 3600;
  const idTokenExpiresAt = u.idTokenExpiresAt ?? expiresAt;
  const claims: Record<string, unknown> = {
    sub: `00000000-0000-4000-8000-${[...principal].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 0xffffffffffff, 7).toString(16).padStart(12, '0')}`,
    'cognito:username': principal,
    ...(email !== undefined && { email, email_verified: u.emailVerified ?? true }),
    ...(groups.length > 0 && { 'cognito:groups': groups }),
    iss: TEST_ISSUER,
    aud: TEST_CLIENT_ID,
    token_use: 'id',
    auth_time: nowS(),
    iat: nowS(),
    exp: idTokenExpiresAt,
    ...u.claims,
  };
  return {
    principal,
    ...(email !== undefined && { email }),
    ...(domain !== undefined && { domain }),
    ...(email !== undefined && { emailVerified: u.emailVerified ?? true }),
    ...(u.provider !== undefined && { provider: u.provider }),
    isAdmin: u.isAdmin ?? false,
    groups,
    attributes: { ...u.attributes },
    claims: Object.freeze(claims),
    expiresAt,
    idTokenExpiresAt,
  };
}

const base64url = (value: unknown): string => {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/**
 * A JWT-shaped token with the user's claims, for apps that read their tokens' payload. It is
 * not signed (`alg: none`): the SDK, and any API, refuses it.
 */
export function fakeToken(user: User, use: 'id' | 'access'): string {
  const { claims } = user;
  const payload =
    use === 'id'
      ? { ...claims, exp: user.idTokenExpiresAt }
      : {
          sub: claims.sub,
          username: claims['cognito:username'] ?? user.principal,
          ...(user.groups.length > 0 && { 'cognito:groups': user.groups }),
          iss: claims.iss,
          client_id: claims.aud,
          token_use: 'access',
          scope: 'openid email profile',
          auth_time: claims.auth_time,
          iat: nowS(),
          exp: user.expiresAt,
        };
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.test-kit`;
}
