// Demo users of the local user pool, and the claims Cognito puts in its tokens for them.
import { createHash, randomInt, randomUUID } from 'node:crypto';

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
      const user = find(login);
      return user && user.password === password && user.confirmed !== false ? user : undefined;
    },
    find,
    ...accountFlows(list, find),
  };

  function find(login) {
    const key = String(login ?? '').trim().toLowerCase();
    return key ? list.find((u) => u.username.toLowerCase() === key || u.email?.toLowerCase() === key) : undefined;
  }
}

/** Cognito's default password policy: 8 characters or more, with a lower and an upper case letter, a digit and a symbol. */
export function passwordProblem(password) {
  const p = String(password ?? '');
  if (p.length < 8) return 'Password must have at least 8 characters.';
  if (!/[a-z]/.test(p) || !/[A-Z]/.test(p)) return 'Password must have lower and upper case letters.';
  if (!/[0-9]/.test(p)) return 'Password must have a number.';
  if (!/[^A-Za-z0-9]/.test(p)) return 'Password must have a symbol.';
  return undefined;
}

/**
 * Sign-up with a confirmation code and password reset with a code, as the hosted UI does them.
 * With no email to send, the code is handed back for the page to show. Each returns
 * `{ error }` or what the next page needs.
 */
function accountFlows(list, find) {
  const codes = new Map(); // username -> one-time code
  const issue = (user) => {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    codes.set(user.username, code);
    return code;
  };
  const take = (user, code) => {
    const ok = !!user && codes.get(user.username) === String(code ?? '').trim();
    if (ok) codes.delete(user.username);
    return ok;
  };
  return {
    /** A new, unconfirmed user (it cannot sign in before its code is confirmed). */
    register({ username, email, password }) {
      const name = String(username ?? '').trim();
      const mail = String(email ?? '').trim();
      if (!/^[\w.@+-]{1,128}$/.test(name)) return { error: 'Username can use letters, digits and . _ @ + - only.' };
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(mail)) return { error: 'Invalid email address format.' };
      if (find(name) || find(mail)) return { error: 'An account with the given username or email already exists.' };
      const problem = passwordProblem(password);
      if (problem) return { error: problem };
      const user = { username: name, email: mail, email_verified: false, confirmed: false, password, sub: randomUUID(), groups: [] };
      list.push(user);
      return { user, code: issue(user) };
    },
    /** Confirm a sign-up with its code: the email is then verified and the user can sign in. */
    confirm(username, code) {
      const user = find(username);
      if (!take(user, code)) return { error: 'Invalid verification code provided, please try again.' };
      Object.assign(user, { confirmed: true, email_verified: true });
      return { user };
    },
    /** Start a password reset: a code for the user. */
    forgot(username) {
      const user = find(username);
      if (!user || user.confirmed === false) return { error: 'Username/client id combination not found.' };
      return { user, code: issue(user) };
    },
    /** Set a new password with the code from `forgot`. */
    reset(username, code, password) {
      const user = find(username);
      const problem = passwordProblem(password);
      if (problem) return { error: problem };
      if (!take(user, code)) return { error: 'Invalid verification code provided, please try again.' };
      user.password = password;
      return { user };
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
