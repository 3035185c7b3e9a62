// Demo users of the local user pool, and the claims Cognito puts in its tokens for them.
import { createHash } from 'node:crypto';

export const DEMO_PASSWORD = 'Password1!';

/** The demo users. `sub` values are fixed so tests and the demo can rely on them. */
export const DEMO_USERS = [
  {
    username: 'alice',
    password: DEMO_PASSWORD,
    sub: '8a6b1e0c-3f4d-4b7a-9c2e-0a11ce000001',
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Admin',
    given_name: 'Alice',
    family_name: 'Admin',
    groups: ['admins'],
  },
  {
    username: 'bob',
    password: DEMO_PASSWORD,
    sub: '5d2c7f41-9b3e-4e0a-8f6d-0000000b0b02',
    email: 'bob@example.com',
    email_verified: true,
    name: 'Bob Reader',
    given_name: 'Bob',
    family_name: 'Reader',
    groups: ['readers'],
  },
  {
    username: 'mallory',
    password: DEMO_PASSWORD,
    sub: 'c3e9a0b7-1d52-4f86-a7c4-000000000003',
    email: 'mallory@other.org',
    email_verified: true,
    name: 'Mallory Outsider',
    given_name: 'Mallory',
    family_name: 'Outsider',
    groups: [],
  },
  {
    // A user who signed in with Google: Cognito names them after the provider, puts the provider in
    // `identities` and in an automatic group, and often has no verified email for them.
    username: 'google_102143857364915830163',
    password: DEMO_PASSWORD,
    sub: '0f1e2d3c-4b5a-4968-8776-00000000ca04',
    email: 'carol@example.com',
    email_verified: false,
    name: 'Carol Federated',
    given_name: 'Carol',
    family_name: 'Federated',
    groups: [],
    federated: { providerName: 'Google', providerType: 'Google', userId: '102143857364915830163' },
  },
];

export function createUserDirectory(users = DEMO_USERS, poolId = 'us-east-1_LocalPool') {
  const list = users.map((u) => ({ groups: [], email_verified: true, ...u }))
    // Cognito adds every federated user to the automatic group {poolId}_{providerName}.
    .map((u) => (u.federated ? { ...u, groups: [...u.groups, `${poolId}_${u.federated.providerName}`] } : u));
  return {
    list,
    bySub(sub) {
      return list.find((u) => u.sub === sub);
    },
    /** Cognito lets a user sign in with the username or (as an alias) the email, case-insensitively. */
    authenticate(login, password) {
      const key = String(login ?? '').trim().toLowerCase();
      if (!key) return undefined;
      const user = list.find((u) => u.username.toLowerCase() === key || u.email?.toLowerCase() === key);
      return user && user.password === password ? user : undefined;
    },
  };
}

/** A UUID-shaped identifier derived from a string, stable for the same input. */
export function stableUuid(input) {
  const h = createHash('sha256').update(input).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Identifiers of one authentication event: Cognito keeps `origin_jti` and `event_id` the same
 * for every token that comes from one sign-in, refreshes included.
 */
export function authEventIds(grantId, authTime) {
  const seed = `${grantId}:${authTime}`;
  return { origin_jti: stableUuid(`origin:${seed}`), event_id: stableUuid(`event:${seed}`) };
}

/** User attributes as Cognito's ID token carries them (all readable attributes, whatever the scope). */
export function idTokenAttributes(user) {
  return {
    'cognito:username': user.username,
    ...(user.groups.length ? { 'cognito:groups': [...user.groups] } : {}),
    email: user.email,
    email_verified: user.email_verified,
    name: user.name,
    given_name: user.given_name,
    family_name: user.family_name,
    ...(user.phone_number ? { phone_number: user.phone_number, phone_number_verified: !!user.phone_number_verified } : {}),
    ...user.attributes, // custom attributes (custom:*), as Cognito puts them in the ID token
    ...(user.federated ? { identities: [identity(user.federated)] } : {}),
  };
}

/** One entry of a federated user's `identities` claim, as Cognito writes it (Google's issuer is null). */
function identity({ providerName, providerType, userId }) {
  return { userId, providerName, providerType, issuer: null, primary: 'true', dateCreated: '1735689600000' };
}

/** Cognito's /oauth2/userInfo reply: attributes filtered by the access token's scopes. */
export function userInfoClaims(user, scopes) {
  const out = { sub: user.sub };
  if (scopes.has('email') || scopes.has('aws.cognito.signin.user.admin')) {
    if (user.email) Object.assign(out, { email: user.email, email_verified: String(!!user.email_verified) });
  }
  if (scopes.has('phone') || scopes.has('aws.cognito.signin.user.admin')) {
    if (user.phone_number) Object.assign(out, { phone_number: user.phone_number, phone_number_verified: String(!!user.phone_number_verified) });
  }
  if (scopes.has('profile') || scopes.has('aws.cognito.signin.user.admin')) {
    for (const k of ['name', 'given_name', 'family_name']) if (user[k]) out[k] = user[k];
  }
  out.username = user.username;
  return out;
}

/** Public view of a user (what startIdp() hands back in `users`). */
export function publicUser(u) {
  return {
    username: u.username,
    password: u.password,
    sub: u.sub,
    email: u.email,
    name: u.name,
    given_name: u.given_name,
    groups: [...u.groups],
    ...(u.attributes && { attributes: { ...u.attributes } }),
    ...(u.federated ? { federated: { ...u.federated } } : {}),
  };
}
