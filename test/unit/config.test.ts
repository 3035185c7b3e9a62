import { describe, expect, it } from 'vitest';
import { AuthError, createCognitoAuth, type CognitoAuthConfig } from '../../src/index.js';
import { baseConfig } from '../support/app.js';

const refuse = (config: Record<string, unknown>, field: RegExp) => {
  let err: unknown;
  try {
    createCognitoAuth(config as unknown as CognitoAuthConfig);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).code).toBe('invalid_config');
  expect((err as AuthError).message).toMatch(field);
};

describe('createCognitoAuth validates its config', () => {
  it('accepts the minimal config and a loopback http one', () => {
    expect(createCognitoAuth(baseConfig).getState().status).toBe('loading');
    expect(() => createCognitoAuth({ authority: 'http://127.0.0.1:9000/us-east-1_Local', clientId: 'c', callbackUrl: 'http://localhost:5173/callback' })).not.toThrow();
  });

  it.each([
    ['missing authority', { authority: undefined }, /authority/],
    ['missing clientId', { clientId: '' }, /clientId/],
    ['missing callbackUrl', { callbackUrl: undefined }, /callbackUrl/],
    ['a non-URL authority', { authority: 'cognito' }, /authority.*not an absolute URL/],
    ['http on a public host', { authority: 'http://cognito-idp.us-east-1.amazonaws.com/us-east-1_X' }, /authority.*https/],
    ['http callback on a public host', { callbackUrl: 'http://app.example.com/callback' }, /callbackUrl.*https/],
    ['http domain', { domain: 'http://x.auth.us-east-1.amazoncognito.com' }, /domain.*https/],
    ['an http key URL', { publicKeyUrls: ['http://keys.example.com/jwks'] }, /publicKeyUrls\[0\].*https/],
    ['an empty key URL list', { publicKeyUrls: [] }, /publicKeyUrls/],
    ['scopes without openid', { scopes: 'email profile' }, /scopes.*openid/],
    ['scopes array without openid', { scopes: ['email'] }, /scopes.*openid/],
    ['a client secret', { clientSecret: 's3cr3t' }, /clientSecret.*public client/],
    ['responseType token', { responseType: 'token' }, /responseType.*code/],
    ['disablePkce', { disablePkce: true }, /disablePkce.*PKCE/],
    ['HS256', { tokenValidationAlgorithm: 'HS256' }, /tokenValidationAlgorithm.*RS256/],
    ['ES256', { tokenValidationAlgorithm: 'ES256' }, /tokenValidationAlgorithm/],
    ['an unknown field', { tokenValidty: 3600 }, /tokenValidty.*unknown field/],
    ['a mapping without a colon', { jwtPrincipalClaimsMapping: ['email'] }, /jwtPrincipalClaimsMapping.*field:claim/],
    ['a mapping with an empty claim', { jwtPrincipalClaimsMapping: ['email:'] }, /jwtPrincipalClaimsMapping/],
    ['negative maxAge', { maxAge: -1 }, /maxAge.*>= 0/],
    ['negative maxClockSkew', { maxClockSkew: -5 }, /maxClockSkew/],
    ['negative sessionExpiry', { sessionExpiry: -1 }, /sessionExpiry/],
    ['a NaN duration', { sessionExpiry: Number.NaN }, /sessionExpiry/],
    ['an unknown prompt', { prompt: 'always' }, /prompt/],
    ['an unknown storage', { storage: 'cookie' }, /storage/],
    ['non-string principal claims', { jwtPrincipalClaims: [1] }, /jwtPrincipalClaims/],
    ['enforcement without a domain', { enforcePrincipalDomain: true }, /enforcePrincipalDomain.*principalDomain/],
    ['a non-boolean silentRenew', { silentRenew: 'yes' }, /silentRenew/],
    ['a user pool id as identity pool id', { identityPoolId: 'us-east-1_TestPool' }, /identityPoolId.*\{region\}:\{uuid\}/],
    ['an endpoint for the identity pool (derived, not configured)', { identityPoolEndpoint: 'https://cognito-identity.us-east-1.amazonaws.com/' }, /identityPoolEndpoint.*unknown field/],
    ['an identity pool id without its region', { identityPoolId: '0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e' }, /identityPoolId/],
    ['a non-string identity pool id', { identityPoolId: ['us-east-1:0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e'] }, /identityPoolId/],
    ['a role name as customRoleArn', { customRoleArn: 'Cognito_Auth_Role' }, /customRoleArn.*IAM role ARN/],
    ['adminEmails as one string', { adminEmails: 'a@b.example' }, /adminEmails.*array of non-empty strings/],
    ['an empty allowed domain', { allowedDomains: [''] }, /allowedDomains.*array of non-empty strings/],
    ["OpenMetadata's emailClaim (fromOpenMetadataConfig reads it)", { emailClaim: 'email' }, /emailClaim.*unknown field/],
  ])('refuses %s', (_name, change, field) => {
    refuse({ ...baseConfig, ...change }, field);
  });

  it('accepts an identity pool and a role', () => {
    const pool = { identityPoolId: 'eu-central-1:0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e', customRoleArn: 'arn:aws:iam::123456789012:role/app/Cognito_Auth_Role' };
    expect(() => createCognitoAuth({ ...baseConfig, ...pool })).not.toThrow();
    expect(() => createCognitoAuth({ ...baseConfig, ...pool, customRoleArn: 'arn:aws-cn:iam::123456789012:role/R' })).not.toThrow();
  });

  it('accepts the fields OpenMetadata administrators know, and an empty clientSecret', () => {
    const auth = createCognitoAuth({
      ...baseConfig,
      publicKeyUrls: ['https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool/.well-known/jwks.json'],
      tokenValidationAlgorithm: 'RS256',
      scopes: ['openid', 'email', 'profile'],
      prompt: 'login',
      maxAge: 3600,
      maxClockSkew: 0,
      sessionExpiry: 604800,
      jwtPrincipalClaims: ['cognito:username', 'email', 'sub'],
      jwtPrincipalClaimsMapping: ['username:cognito:username', 'email:email'],
      adminPrincipals: ['admin@company.com'],
      principalDomain: 'company.com',
      enforcePrincipalDomain: true,
      adminEmails: ['admin@company.com'],
      allowedDomains: ['company.com', 'partner.org'],
      ...({ clientSecret: '', responseType: 'code', disablePkce: false } as object),
    });
    expect(auth.getUser()).toBeNull();
  });

  it('enforcePrincipalDomain with allowedDomains needs no principalDomain', () => {
    expect(() => createCognitoAuth({ ...baseConfig, enforcePrincipalDomain: true, allowedDomains: ['company.com'] })).not.toThrow();
  });
});
