// fromOpenMetadataConfig against OpenMetadata's configuration as it really comes (fixtures written
// from OpenMetadata's sources: ConfigResource.java for the /config replies, conf/openmetadata.yaml
// for the stock values), each through createCognitoAuth and, where it names a usable pool, a real
// sign-in against the msw user pool.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthError, createCognitoAuth, fromOpenMetadataConfig, type CognitoAuthConfig, type User } from '../../src/index.js';
import type { OpenMetadataAuthenticationConfiguration as Authn, OpenMetadataAuthorizerConfiguration as Authz } from '../../src/openmetadata.js';
import { ALICE, APP, AUTHORITY, CALLBACK, CLIENT_ID, DOMAIN, createCognito, type CognitoMock } from '../support/cognito.js';
import { cleanups, server } from '../support/setup.js';
import { stockReplies } from '../../demo/vue/src/openmetadata.js';
import { jsonFixture, yamlFixture } from './om-fixtures.js';

const publicReply = jsonFixture<Authn>('openmetadata-config-auth-public.json');
const confidentialReply = jsonFixture<Authn>('openmetadata-config-auth-confidential.json');
const authorizerReply = jsonFixture<Authz>('openmetadata-config-authorizer.json');
const stockYaml = yamlFixture('openmetadata-cognito-stock.yaml');
const bareMetal = yamlFixture('openmetadata-cognito-bare-metal.yaml');
const summary = jsonFixture<Authn>('openmetadata-cognito-confidential-summary.json');
const { clientSecret: _secret, clientType: _type, ...publicSummary } = summary;
const JWKS = `${AUTHORITY}/.well-known/jwks.json`;

function refusal(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).code).toBe('invalid_config');
    return e as AuthError;
  }
  throw new Error('expected an invalid_config AuthError');
}

/** console.warn lines of cognito-spa-auth while `fn` runs. */
function warnings(fn: () => unknown): string[] {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    fn();
    return warn.mock.calls.map((call) => String(call[0]));
  } finally {
    warn.mockRestore();
  }
}

let cognito: CognitoMock;
beforeAll(async () => {
  cognito = await createCognito();
}, 30_000);
afterEach(() => vi.unstubAllGlobals());

/** A real sign-in of `profile` with `config` (plus the hosted-UI domain OpenMetadata has no field for). */
async function signIn(config: CognitoAuthConfig, profile = ALICE): Promise<User> {
  server.use(...cognito.handlers);
  let target = '';
  const auth = createCognitoAuth({ ...config, domain: DOMAIN, navigate: (url) => void (target = url) });
  cleanups.push(() => auth.destroy());
  await auth.signIn();
  window.happyDOM?.setURL(cognito.authorize(target, profile));
  return (await auth.handleCallback()).user;
}

describe('fromOpenMetadataConfig takes what OpenMetadata really serves', () => {
  it('the public /config/auth reply as served, with the /config/authorizer reply: a working config', async () => {
    const config = fromOpenMetadataConfig(publicReply, authorizerReply);
    expect(config).toEqual({
      authority: AUTHORITY,
      clientId: CLIENT_ID,
      callbackUrl: CALLBACK, // callbackUrl "": {origin}/callback, as OpenMetadata's UI makes it
      publicKeyUrls: [JWKS], // OpenMetadata's own /api/v1/system/config/jwks left out
      tokenValidationAlgorithm: 'RS256',
      jwtPrincipalClaims: ['email', 'cognito:username', 'sub'],
      jwtPrincipalClaimsMapping: [],
      principalDomain: 'example.com',
    });
    // responseType id_token (OpenMetadata's default) is accepted: the SDK signs in with code + PKCE.
    await expect(signIn(config)).resolves.toMatchObject({ principal: 'alice', email: 'alice@example.com', isAdmin: false });
  });

  it('does not pretend to know admins or enforcement the authorizer reply leaves out; the app passes them', async () => {
    const config = fromOpenMetadataConfig(publicReply, authorizerReply);
    expect(config).not.toHaveProperty('adminPrincipals');
    expect(config).not.toHaveProperty('enforcePrincipalDomain');
    const withAdmins = fromOpenMetadataConfig(publicReply, { ...authorizerReply, adminPrincipals: ['alice'], enforcePrincipalDomain: true });
    expect(withAdmins).toMatchObject({ adminPrincipals: ['alice'], enforcePrincipalDomain: true, principalDomain: 'example.com' });
    await expect(signIn(withAdmins)).resolves.toMatchObject({ principal: 'alice', isAdmin: true });
    await expect(signIn(withAdmins, { ...ALICE, email: 'alice@other.org' })).rejects.toMatchObject({ code: 'principal_domain_forbidden' });
  });

  it('an empty or root-relative callbackUrl is resolved against the origin passed, else the page', () => {
    expect(fromOpenMetadataConfig({ ...publicReply, callbackUrl: '/auth/callback' }).callbackUrl).toBe(`${APP}/auth/callback`);
    expect(fromOpenMetadataConfig(publicReply, undefined, { origin: 'https://om.example.org' }).callbackUrl).toBe('https://om.example.org/callback');
    expect(fromOpenMetadataConfig({ ...publicReply, callbackUrl: 'https://app.example.com/cb' }).callbackUrl).toBe('https://app.example.com/cb');
    vi.stubGlobal('location', undefined);
    expect(refusal(() => fromOpenMetadataConfig(publicReply)).message).toMatch(/callbackUrl.*origin/);
  });

  it('with debug, says that it upgrades id_token to code + PKCE and which key set it left out', () => {
    const said = warnings(() => fromOpenMetadataConfig(publicReply, authorizerReply, { debug: true }));
    expect(said).toEqual([
      expect.stringMatching(/responseType id_token.*code \+ PKCE/),
      expect.stringMatching(/left out https:\/\/openmetadata\.example\.com\/api\/v1\/system\/config\/jwks/),
    ]);
    expect(warnings(() => fromOpenMetadataConfig(publicReply, authorizerReply))).toEqual([]);
  });

  it('the stock yaml with the Cognito values filled in: the server-side oidcConfiguration is not the browser client', async () => {
    const said: string[] = [];
    const config = (() => {
      let c: CognitoAuthConfig | undefined;
      said.push(...warnings(() => (c = fromOpenMetadataConfig(stockYaml as Authn, undefined, { debug: true }))));
      return c!;
    })();
    expect(config).toEqual({
      authority: AUTHORITY,
      clientId: CLIENT_ID, // not oidcConfiguration.id
      callbackUrl: CALLBACK, // not oidcConfiguration.callbackUrl (the server's http://localhost:8585/callback)
      publicKeyUrls: [JWKS], // http://openmetadata:8585/api/v1/system/config/jwks left out
      tokenValidationAlgorithm: 'RS256',
      sessionExpiry: 604800, // "604800"
      jwtPrincipalClaims: ['email', 'cognito:username', 'sub'],
      jwtPrincipalClaimsMapping: [],
      adminPrincipals: ['alice'],
      principalDomain: 'example.com',
      enforcePrincipalDomain: false,
    });
    // disablePkce: true and responseType: code in oidcConfiguration are the server's: no refusal, no note.
    expect(said).toEqual([expect.stringMatching(/responseType id_token/), expect.stringMatching(/left out http:\/\/openmetadata:8585/)]);
    await expect(signIn(config)).resolves.toMatchObject({ principal: 'alice', isAdmin: true });
  });

  it('the stored-settings form, numbers and lists as strings, reads the same', () => {
    const authn = stockYaml.authenticationConfiguration as Authn;
    const stored = {
      ...authn,
      jwtPrincipalClaims: '[email,cognito:username,sub]',
      publicKeyUrls: `${JWKS},http://openmetadata:8585/api/v1/system/config/jwks`,
      oidcConfiguration: { ...(authn.oidcConfiguration as object), maxAge: '3600', maxClockSkew: '30', prompt: 'Login', scope: 'openid' },
    };
    expect(fromOpenMetadataConfig(stored, { adminPrincipals: '[alice, bob]', enforcePrincipalDomain: 'false', principalDomain: 'example.com' })).toMatchObject({
      jwtPrincipalClaims: ['email', 'cognito:username', 'sub'],
      publicKeyUrls: [JWKS],
      maxAge: 3600,
      maxClockSkew: 30,
      prompt: 'login',
      adminPrincipals: ['alice', 'bob'],
      enforcePrincipalDomain: false,
    });
    // The server's scope is not the browser's: the SDK default stays.
    expect(fromOpenMetadataConfig(stored)).not.toHaveProperty('scopes');
    expect(refusal(() => fromOpenMetadataConfig({ ...stored, oidcConfiguration: { maxAge: 'an hour' } })).message).toContain('oidcConfiguration.maxAge');
  });

  it('the confidential /config/auth reply is refused, saying what to do', () => {
    const e = refusal(() => fromOpenMetadataConfig(confidentialReply, authorizerReply));
    expect(e.message).toMatch(/clientType is confidential: a browser needs a public Cognito app client, without a secret; create one/);
    expect(e.message).not.toMatch(/implicit/);
    expect(refusal(() => fromOpenMetadataConfig(summary)).message).toContain('clientType');
  });

  it('a secret anywhere is refused without showing it', () => {
    const e = refusal(() => fromOpenMetadataConfig({ ...publicReply, oidcConfiguration: { secret: 's3cret' } }));
    expect(e.message).toContain('oidcConfiguration.secret');
    expect(e.message).not.toContain('s3cret');
    expect(refusal(() => fromOpenMetadataConfig({ ...publicSummary, clientSecret: 'x' })).message).toContain('clientSecret');
  });

  it('ES* algorithms are refused saying that Cognito signs with RS256; RS384 and RS512 are kept', () => {
    expect(refusal(() => fromOpenMetadataConfig({ ...publicReply, tokenValidationAlgorithm: 'ES256' })).message).toMatch(/tokenValidationAlgorithm.*Cognito signs with RS256/);
    expect(fromOpenMetadataConfig({ ...publicReply, tokenValidationAlgorithm: 'rs512' }).tokenValidationAlgorithm).toBe('RS512');
    expect(refusal(() => fromOpenMetadataConfig({ ...publicReply, responseType: 'token' })).message).toContain('responseType');
  });

  it('provider names in any case; other providers refused', () => {
    expect(fromOpenMetadataConfig({ ...publicReply, provider: 'AWS-COGNITO' }).clientId).toBe(CLIENT_ID);
    expect(refusal(() => fromOpenMetadataConfig({ ...publicReply, provider: 'okta' })).message).toContain("'okta'");
  });

  it("the Vue demo's config import works against the stock replies: alice is an admin, mallory signs in as herself", async () => {
    const [authReply, authorizerReply] = stockReplies({ authority: AUTHORITY, clientId: CLIENT_ID });
    const config = fromOpenMetadataConfig(authReply, { ...authorizerReply, adminPrincipals: ['alice'] });
    await expect(signIn(config)).resolves.toMatchObject({ principal: 'alice', isAdmin: true });
    await expect(signIn(config, { ...ALICE, 'cognito:username': 'mallory', email: 'mallory@other.org' })).resolves.toMatchObject({
      principal: 'mallory',
      domain: 'other.org',
      isAdmin: false,
    });
  });

  it('the bare-metal yaml sections and the docs summary still map', () => {
    expect(fromOpenMetadataConfig(bareMetal as Authn)).toEqual({
      authority: 'https://cognito-idp.us-west-1.amazonaws.com/{User Pool ID}',
      clientId: '{Client ID}',
      callbackUrl: 'http://localhost:8585/callback',
      publicKeyUrls: ['https://cognito-idp.us-west-1.amazonaws.com/{User Pool ID}/.well-known/jwks.json'],
      adminPrincipals: ['user1', 'user2'],
      principalDomain: 'open-metadata.org',
    });
    expect(fromOpenMetadataConfig(publicSummary)).toMatchObject({
      authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF',
      clientId: '1a2b3c4d5e6f7g8h9i0j1k2l3m4n5o6p',
      scopes: 'openid email profile aws.cognito.signin.user.admin',
      prompt: 'login',
      maxAge: 3600,
      maxClockSkew: 0,
      jwtPrincipalClaimsMapping: ['email:email', 'name:name', 'firstName:given_name'],
    });
    // With the placeholders filled in, createCognitoAuth takes both.
    const filled = JSON.parse(JSON.stringify(bareMetal).replaceAll('{User Pool ID}', 'us-west-1_AbC123').replaceAll('{Client ID}', '4abc123def')) as Authn;
    expect(() => createCognitoAuth(fromOpenMetadataConfig(filled)).destroy()).not.toThrow();
    expect(() => createCognitoAuth(fromOpenMetadataConfig(publicSummary)).destroy()).not.toThrow();
  });
});

describe('the fields that decide users: OpenMetadata’s meaning, or refused by name', () => {
  const authz = { principalDomain: 'example.com' };

  it('adminEmails and allowedDomains are OpenMetadata’s', async () => {
    const config = fromOpenMetadataConfig(publicReply, { ...authz, adminEmails: ['Alice@example.com'], allowedDomains: ['example.com', 'partner.org'], enforcePrincipalDomain: true });
    expect(config).toMatchObject({ adminEmails: ['Alice@example.com'], allowedDomains: ['example.com', 'partner.org'], enforcePrincipalDomain: true });
    await expect(signIn(config)).resolves.toMatchObject({ isAdmin: true });
    await expect(signIn(config, { ...ALICE, email: 'p@partner.org' })).resolves.toMatchObject({ principal: 'p', isAdmin: false });
    await expect(signIn(config, { ...ALICE, email: 'm@other.org' })).rejects.toMatchObject({ code: 'principal_domain_forbidden' });
  });

  it('emailClaim (the email-first flow) names the user from that claim; allowedEmailDomains then decide the domain', async () => {
    const config = fromOpenMetadataConfig(
      { ...publicReply, emailClaim: 'custom:mail', jwtPrincipalClaims: ['cognito:username', 'sub'] },
      { ...authz, allowedEmailDomains: ['corp.example'] },
    );
    expect(config).toMatchObject({ jwtPrincipalClaims: ['custom:mail', 'cognito:username', 'sub'], allowedDomains: ['corp.example'], enforcePrincipalDomain: true });
    await expect(signIn(config, { ...ALICE, 'custom:mail': 'Ann@Corp.example' })).resolves.toMatchObject({ principal: 'ann', email: 'ann@corp.example' });
    await expect(signIn(config, { ...ALICE, 'custom:mail': 'ann@other.org' })).rejects.toMatchObject({ code: 'principal_domain_forbidden' });
    // A mapping names the user instead (JwtIdentityResolver.shouldUseEmailFirstFlow).
    const mapped = fromOpenMetadataConfig({ ...publicReply, emailClaim: 'email', jwtPrincipalClaimsMapping: ['username:cognito:username', 'email:email'] });
    expect(mapped.jwtPrincipalClaims).toEqual(['email', 'cognito:username', 'sub']);
  });

  it('principalDomain falls back to the allowed domains, as SecurityUtil.resolvePrincipalDomain does', () => {
    expect(fromOpenMetadataConfig(publicReply, { allowedEmailDomains: ['b.example', 'a.example'] }).principalDomain).toBe('a.example');
    expect(fromOpenMetadataConfig(publicReply, { allowedDomains: ['z.example'] }).principalDomain).toBe('z.example');
  });

  it('useRolesFromProvider: true is refused by name', () => {
    expect(refusal(() => fromOpenMetadataConfig(publicReply, { ...authz, useRolesFromProvider: true })).message).toMatch(/useRolesFromProvider.*roles claim.*pass false/);
    expect(() => fromOpenMetadataConfig(publicReply, { ...authz, useRolesFromProvider: false })).not.toThrow();
  });

  it("OpenMetadata's field-reference mapping works, and with debug it says OpenMetadata refuses it", async () => {
    const reference = { ...publicReply, jwtPrincipalClaimsMapping: ['email:email', 'name:name', 'firstName:given_name'] };
    const said = warnings(() => fromOpenMetadataConfig(reference, authz, { debug: true }));
    expect(said).toContainEqual(expect.stringMatching(/refuses this jwtPrincipalClaimsMapping; here jwtPrincipalClaims name the user/));
    const user = await signIn(fromOpenMetadataConfig(reference, authz));
    expect(user).toMatchObject({ principal: 'alice', attributes: { email: 'alice@example.com', name: 'Alice Admin', firstName: 'Alice' } });
  });

  it('with debug, warns of the traps OpenMetadata keeps: enforcement with cognito:username first, emails in adminPrincipals', () => {
    const trap = { ...publicReply, jwtPrincipalClaims: ['cognito:username', 'email', 'sub'] };
    const said = warnings(() => fromOpenMetadataConfig(trap, { ...authz, enforcePrincipalDomain: true, adminPrincipals: ['admin@company.com'] }, { debug: true }));
    expect(said).toContainEqual(expect.stringMatching(/enforcePrincipalDomain refuses users whose cognito:username is not an email/));
    expect(said).toContainEqual(expect.stringMatching(/adminPrincipals holds user names: use adminEmails/));
    expect(warnings(() => fromOpenMetadataConfig(publicReply, { ...authz, enforcePrincipalDomain: true }, { debug: true }))).not.toContainEqual(
      expect.stringMatching(/enforcePrincipalDomain/),
    );
  });
});
