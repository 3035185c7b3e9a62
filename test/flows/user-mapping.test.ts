// Who a user is, decided as OpenMetadata's server decides it (openmetadata-service
// security/SecurityUtil.java findUserNameFromClaims, findEmailFromClaims, validateEmailVerifiedClaim,
// validateDomainEnforcement; awsCognitoSSOClientConfig.md for adminPrincipals), each case through
// a real sign-in with the public API against the msw user pool.
import { beforeAll, describe, expect, it } from 'vitest';
import { createCognitoAuth, isUserRefusal, type AuthError, type AuthErrorCode, type CognitoAuthConfig, type User } from '../../src/index.js';
import { ALICE, GOOGLE_USER, createCognito, type CognitoMock, type UserProfile } from '../support/cognito.js';
import { baseConfig } from '../support/app.js';
import { cleanups, server } from '../support/setup.js';

const storedSessions = (): string[] => Object.keys(sessionStorage).filter((k) => k.endsWith('.session'));

// One pool for the file (its RSA keys take a while to make); each test signs in afresh.
let cognito: CognitoMock;
beforeAll(async () => {
  cognito = await createCognito();
}, 30_000);

/** Sign `profile` in with `config`; the user, or the refusal (after checking nothing was kept). */
async function signIn(profile: UserProfile, config: Partial<CognitoAuthConfig> = {}): Promise<User | AuthError> {
  server.use(...cognito.handlers);
  const navigations: string[] = [];
  const client = () => {
    const auth = createCognitoAuth({ ...baseConfig, navigate: (url) => void navigations.push(url), ...config });
    cleanups.push(() => auth.destroy());
    return auth;
  };
  const auth = client();
  await auth.signIn();
  window.happyDOM?.setURL(cognito.authorize(navigations.at(-1) as string, profile));
  try {
    const { user } = await auth.handleCallback();
    expect(auth.getUser()).toEqual(user);
    return user;
  } catch (e) {
    expect(storedSessions()).toEqual([]);
    expect(auth.getState()).toMatchObject({ status: 'error', user: null, error: e });
    expect(await client().init()).toMatchObject({ status: 'unauthenticated', user: null });
    return e as AuthError;
  }
}

const { email: _e, email_verified: _v, ...PHONE_ONLY } = ALICE;
const CAROL = GOOGLE_USER;
const DOMAIN = { principalDomain: 'example.com' };
const ENFORCED = { ...DOMAIN, enforcePrincipalDomain: true };

type Expected = Partial<Pick<User, 'principal' | 'email' | 'domain' | 'isAdmin' | 'provider' | 'emailVerified' | 'attributes'>>;
const cases: Array<[name: string, profile: UserProfile, config: Partial<CognitoAuthConfig>, expected: Expected | AuthErrorCode]> = [
  // OpenMetadata's Cognito default order is [email, cognito:username, sub]: the email names the user.
  ['the default order takes the email', ALICE, {}, { principal: 'alice', email: 'alice@example.com', domain: 'example.com', emailVerified: true, isAdmin: false }],
  ['a mixed-case email is lower-cased', { ...ALICE, email: 'Alice.Smith@Example.COM' }, {}, { principal: 'alice.smith', email: 'alice.smith@example.com', domain: 'example.com' }],
  ['without an email the next claim names the user, no email without principalDomain', PHONE_ONLY, {}, { principal: 'alice', email: undefined, domain: undefined, emailVerified: undefined }],
  ['a principal that is not an email gets {name}@{principalDomain}', PHONE_ONLY, DOMAIN, { principal: 'alice', email: 'alice@example.com', domain: 'example.com' }],
  [
    'username first: the email claim of another domain is not the email',
    { ...ALICE, 'cognito:username': 'Bob', email: 'bob@other.org' },
    { jwtPrincipalClaims: ['cognito:username', 'email', 'sub'], principalDomain: 'company.com' },
    { principal: 'bob', email: 'bob@company.com', domain: 'company.com' },
  ],
  ['no principal claim present refuses the sign-in (no fallback to sub)', ALICE, { jwtPrincipalClaims: ['preferred_username', 'upn'] }, 'principal_claim_missing'],
  [
    'a mapping overrides the principal claims: username:preferred_username',
    { ...ALICE, preferred_username: 'Dave.P@corp.example', email: 'dave@example.com' },
    { jwtPrincipalClaimsMapping: ['username:preferred_username', 'email:email'] },
    { principal: 'dave.p', email: 'dave@example.com', attributes: { username: 'Dave.P@corp.example', email: 'dave@example.com' } },
  ],
  [
    'mapping username:cognito:username reads the claim after the first colon',
    { ...ALICE, 'cognito:username': 'Alice_A', email: 'a.a@example.com' },
    { jwtPrincipalClaimsMapping: ['username:cognito:username', 'email:email'] },
    { principal: 'alice_a', email: 'a.a@example.com' },
  ],
  ['a mapped username claim that is missing refuses', ALICE, { jwtPrincipalClaimsMapping: ['username:preferred_username', 'email:email'] }, 'principal_claim_missing'],
  ['a mapped email claim that is not an email refuses', ALICE, { jwtPrincipalClaimsMapping: ['username:email', 'email:name'] }, 'principal_claim_missing'],
  [
    "the field reference's mapping (no username key) only fills attributes",
    ALICE,
    { jwtPrincipalClaimsMapping: ['email:email', 'name:name', 'firstName:given_name'] },
    { principal: 'alice', email: 'alice@example.com', attributes: { email: 'alice@example.com', name: 'Alice Admin', firstName: 'Alice' } },
  ],
  ['admins by lower-cased user name', ALICE, { adminPrincipals: ['ALICE'] }, { principal: 'alice', isAdmin: true }],
  ['an email in adminPrincipals makes nobody an admin (OpenMetadata compares user names)', ALICE, { adminPrincipals: ['alice@example.com'] }, { isAdmin: false }],
  ['admins by email through adminEmails', ALICE, { adminEmails: ['Alice@Example.com'] }, { isAdmin: true }],
  ['adminEmails never matches another user', { ...ALICE, email: 'alice@other.org' }, { adminEmails: ['alice@example.com'], adminPrincipals: ['bob'] }, { isAdmin: false }],
  ['email_verified false refuses the sign-in', { ...ALICE, email_verified: false }, { adminEmails: ['alice@example.com'] }, 'email_not_verified'],
  ['email_verified "false" (a string) refuses too', { ...ALICE, email_verified: 'false' }, ENFORCED, 'email_not_verified'],
  ['email_verified false refuses even a user named by cognito:username', { ...ALICE, email_verified: 'False' }, { jwtPrincipalClaims: ['cognito:username'] }, 'email_not_verified'],
  ['enforcePrincipalDomain admits the domain', ALICE, ENFORCED, { principal: 'alice', domain: 'example.com' }],
  ['enforcePrincipalDomain refuses another domain', { ...ALICE, email: 'mallory@other.org' }, ENFORCED, 'principal_domain_forbidden'],
  ['allowedDomains replace principalDomain', { ...ALICE, email: 'x@Partner.org' }, { ...ENFORCED, allowedDomains: ['partner.org'] }, { principal: 'x', domain: 'partner.org' }],
  ['allowedDomains refuse principalDomain itself when they leave it out', ALICE, { ...ENFORCED, allowedDomains: ['partner.org'] }, 'principal_domain_forbidden'],
  ["OpenMetadata's trap: cognito:username first has no domain, so enforcement refuses", ALICE, { ...ENFORCED, jwtPrincipalClaims: ['cognito:username', 'email'] }, 'principal_domain_forbidden'],
  ['with a mapping the domain comes from the mapped email', { ...ALICE, 'cognito:username': 'carol' }, { ...ENFORCED, jwtPrincipalClaimsMapping: ['username:cognito:username', 'email:email'] }, { principal: 'carol', domain: 'example.com' }],
  ['a federated user: email names them, identities (a JSON string) gives the provider', CAROL, {}, { principal: 'carol.jones', email: 'carol.jones@example.com', provider: 'Google', emailVerified: true }],
  [
    'a federated user named by cognito:username',
    CAROL,
    { ...DOMAIN, jwtPrincipalClaims: ['cognito:username'] },
    { principal: 'google_102934857610293847561', email: 'google_102934857610293847561@example.com', provider: 'Google' },
  ],
  ['a federated user whose IdP left email_verified false is refused', { ...CAROL, email_verified: false, identities: JSON.parse(CAROL.identities as string) }, {}, 'email_not_verified'],
  [
    'identities as an array; the automatic group names the provider when identities is absent',
    { ...ALICE, identities: [{ providerName: 'AzureAD', issuer: 'https://sts.example' }], 'cognito:groups': ['readers'] },
    {},
    { provider: 'AzureAD' },
  ],
  ['the automatic {poolId}_{Provider} group alone', { ...ALICE, 'cognito:groups': ['readers', 'us-east-1_TestPool_SAMLCorp'] }, {}, { provider: 'SAMLCorp' }],
  ['a user of the pool itself has no provider', ALICE, {}, { provider: undefined }],
];

describe('the claims of a signed-in user decide who they are, as OpenMetadata decides it', () => {
  it.each(cases)('%s', async (_name, profile, config, expected) => {
    const result = await signIn(profile, config);
    if (typeof expected === 'string') {
      expect(result).toMatchObject({ name: 'AuthError', code: expected });
      expect(isUserRefusal(result)).toBe(true);
    } else {
      expect(result).not.toHaveProperty('code');
      expect(result).toMatchObject(expected);
      for (const [key, value] of Object.entries(expected)) expect((result as unknown as Record<string, unknown>)[key]).toEqual(value);
    }
  });

  it('refusals name the rule', async () => {
    const message = async (profile: UserProfile, config: Partial<CognitoAuthConfig>) => ((await signIn(profile, config)) as AuthError).message;
    expect(await message(ALICE, { jwtPrincipalClaims: ['upn'] })).toMatch(/upn/);
    expect(await message({ ...ALICE, email_verified: false }, {})).toMatch(/alice@example\.com.*email_verified/);
    expect(await message({ ...ALICE, email: 'm@other.org' }, ENFORCED)).toMatch(/enforcePrincipalDomain.*other\.org.*example\.com/);
    expect(await message(ALICE, { ...ENFORCED, jwtPrincipalClaims: ['cognito:username'] })).toMatch(/no domain/);
    expect(await message(ALICE, { jwtPrincipalClaimsMapping: ['username:nickname', 'email:email'] })).toMatch(/nickname/);
  });

  it('groups from cognito:groups, empty when absent; the claims as verified', async () => {
    const user = (await signIn(ALICE)) as User;
    expect(user.groups).toEqual(['admins', 'readers']);
    expect(user.claims).toMatchObject({ 'cognito:username': 'alice', email: 'alice@example.com' });
    expect(Object.isFrozen(user.claims)).toBe(true);
    expect(((await signIn({ ...ALICE, 'cognito:groups': undefined })) as User).groups).toEqual([]);
  });

  it('isUserRefusal is true for the user refusals only', async () => {
    const { AuthError } = await import('../../src/index.js');
    for (const code of ['principal_domain_forbidden', 'email_not_verified', 'principal_claim_missing'] as const) {
      expect(isUserRefusal(new AuthError(code, 'x'))).toBe(true);
    }
    for (const code of ['id_token_invalid', 'login_required', 'network_error', 'invalid_config', 'token_request_failed'] as const) {
      expect(isUserRefusal(new AuthError(code, 'x'))).toBe(false);
    }
    expect(isUserRefusal(new Error('principal_domain_forbidden'))).toBe(false);
    expect(isUserRefusal(undefined)).toBe(false);
  });
});
