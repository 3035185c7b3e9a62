// The BFF's config: the browser's checks (shared), the server's own fields, and OpenMetadata's
// confidential-client settings.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { AuthError, createCognitoAuth } from '../../src/index.js';
import { createCognitoBff, fromOpenMetadataServerConfig, memoryStore, type CognitoBffConfig } from '../../src/server/index.js';

const BASE: CognitoBffConfig = {
  authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF',
  clientId: 'client',
  clientSecret: 'secret',
  domain: 'https://app.auth.us-east-1.amazoncognito.com',
  callbackUrl: 'https://app.example.com/callback',
  cookieSecret: 'x'.repeat(32),
};

function refusal(config: Record<string, unknown>): string {
  try {
    createCognitoBff(config as unknown as CognitoBffConfig);
  } catch (e) {
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).code).toBe('invalid_config');
    return (e as AuthError).message;
  }
  throw new Error('accepted');
}

describe('createCognitoBff validates its config', () => {
  it('accepts the minimal config, a store, a proxy, and plain http on loopback', () => {
    expect(createCognitoBff(BASE)).toHaveProperty('handler');
    expect(() => createCognitoBff({ ...BASE, store: memoryStore(), proxy: { '/api': 'https://api.example.com/v1' }, cookieSecret: ['y'.repeat(40), 'x'.repeat(32)] })).not.toThrow();
    expect(() => createCognitoBff({ ...BASE, callbackUrl: 'http://127.0.0.1:3000/callback' })).not.toThrow();
  });

  it.each([
    ['the shared checks: an http authority', { authority: 'http://cognito.example.com/x' }, /authority.*https/],
    ['the shared checks: scopes without openid', { scopes: 'email' }, /scopes.*openid/],
    ['the shared checks: an unknown field', { tokenValidity: 3600 }, /tokenValidity: unknown field/],
    ['the shared checks: the implicit flow', { responseType: 'token' }, /responseType/],
    ['no client secret', { clientSecret: undefined }, /clientSecret.*confidential client/],
    ['another authentication method', { clientAuthenticationMethod: 'private_key_jwt' }, /clientAuthenticationMethod/],
    ['a serverUrl with a path', { serverUrl: 'https://app.example.com/app' }, /serverUrl.*origin/],
    ['a callback on another origin than serverUrl', { serverUrl: 'https://other.example.com' }, /callbackUrl.*serverUrl/],
    ['a short cookie secret', { cookieSecret: 'short' }, /cookieSecret.*32/],
    ['an empty list of cookie secrets', { cookieSecret: [] }, /cookieSecret/],
    ['a basePath with a trailing slash', { basePath: '/auth/' }, /basePath/],
    ['a basePath with dot segments', { basePath: '/a/../b' }, /basePath/],
    ['a proxy prefix that overlaps basePath', { proxy: { '/auth/api': 'https://api.example.com' } }, /overlaps basePath/],
    ['a proxy upstream over http', { proxy: { '/api': 'http://api.example.com' } }, /https/],
    ['a proxy upstream with a query', { proxy: { '/api': 'https://api.example.com/?key=1' } }, /without query/],
    ['a store without lock', { store: { get() {}, set() {}, delete() {} } }, /store/],
    ["the browser's storage option", { storage: 'local' }, /storage.*browser client/],
    ['an identity pool (AWS credentials need the ID token in the page)', { identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000' }, /identityPoolId.*browser-only/],
    ["OpenMetadata's name for the secret", { secret: 's' }, /secret.*clientSecret/],
  ])('refuses %s', (_name, change, message) => {
    expect(refusal({ ...BASE, ...change })).toMatch(message);
  });

  it('the browser client still refuses a client secret, saying why', () => {
    const { clientSecret, cookieSecret: _c, ...shared } = BASE;
    expect(() => createCognitoAuth({ ...shared, clientSecret } as never)).toThrow(/clientSecret: a browser app is a public client/);
  });
});

describe("fromOpenMetadataServerConfig: OpenMetadata's confidential client", () => {
  const summary = JSON.parse(readFileSync(new URL('../fixtures/openmetadata-cognito-confidential-summary.json', import.meta.url), 'utf8')) as Record<string, unknown>;

  it('the field summary: secret, basic authentication, serverUrl; what means nothing with Cognito dropped with a note', () => {
    const notes: string[] = [];
    const config = fromOpenMetadataServerConfig(summary as never, undefined, { onNote: (n) => notes.push(n) });
    expect(config).toMatchObject({
      authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF',
      clientId: '1a2b3c4d5e6f7g8h9i0j1k2l3m4n5o6p',
      clientSecret: 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0',
      clientAuthenticationMethod: 'client_secret_basic',
      serverUrl: 'https://yourapp.company.com',
      callbackUrl: 'https://yourapp.company.com/callback',
      sessionExpiry: 604800,
      prompt: 'login',
    });
    expect(notes.join('\n')).toMatch(/tokenValidity is dropped: token lifetimes/);
    expect(notes.join('\n')).toMatch(/tenant is dropped/);
    expect(notes.join('\n')).toMatch(/enableSecureSocketConnection is dropped/);
    const bff = createCognitoBff({ ...config, domain: 'https://yourapp.auth.us-east-1.amazoncognito.com', cookieSecret: 'z'.repeat(32) });
    expect(bff).toHaveProperty('getSession');
  });

  it("conf/openmetadata.yaml's shape: oidcConfiguration with the secret, numbers as strings, stock defaults", () => {
    const notes: string[] = [];
    const yaml = {
      authenticationConfiguration: {
        provider: 'aws-cognito',
        clientType: 'confidential',
        responseType: 'id_token', // the stock value, for OpenMetadata's browser
        publicKeyUrls: ['https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF/.well-known/jwks.json'],
        authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF',
        clientId: '',
        callbackUrl: '',
        jwtPrincipalClaims: ['email', 'cognito:username', 'sub'],
        oidcConfiguration: {
          id: 'om-client', type: 'aws-cognito', secret: 'om-secret', scope: 'openid email profile', discoveryUri: '',
          useNonce: 'true', preferredJwsAlgorithm: 'RS256', responseType: 'code', disablePkce: 'true',
          callbackUrl: '', serverUrl: 'https://om.example.com/', clientAuthenticationMethod: 'client_secret_post',
          tenant: '', maxClockSkew: '', tokenValidity: '3600', sessionExpiry: '86400', maxAge: '0', customParams: '',
        },
      },
      authorizerConfiguration: { className: 'org.openmetadata.service.security.DefaultAuthorizer', adminPrincipals: ['admin'], principalDomain: 'example.com' },
    };
    const config = fromOpenMetadataServerConfig(yaml as never, undefined, { onNote: (n) => notes.push(n) });
    expect(config).toMatchObject({
      clientId: 'om-client',
      clientSecret: 'om-secret',
      clientAuthenticationMethod: 'client_secret_post',
      serverUrl: 'https://om.example.com',
      callbackUrl: 'https://om.example.com/callback',
      sessionExpiry: 86400,
      adminPrincipals: ['admin'],
      principalDomain: 'example.com',
    });
    expect(config).not.toHaveProperty('maxAge'); // "0": unset
    const text = notes.join('\n');
    expect(text).toMatch(/oidcConfiguration\.disablePkce is dropped: PKCE stays on/);
    expect(text).toMatch(/authenticationConfiguration\.responseType is dropped: it is OpenMetadata's browser setting/);
    expect(text).toMatch(/oidcConfiguration\.tokenValidity is dropped/);
    expect(text).toMatch(/oidcConfiguration\.type is dropped/);
    expect(text).toMatch(/authorizerConfiguration\.className is dropped/);
    expect(text).not.toMatch(/useNonce/); // true: what the BFF does anyway
    expect(createCognitoBff({ ...config, cookieSecret: 'z'.repeat(32) })).toHaveProperty('handler');
  });

  it.each([
    ['no secret', { secret: '' }, /oidcConfiguration\.secret is missing/],
    ['a JWT client authentication', { clientAuthenticationMethod: 'private_key_jwt' }, /clientAuthenticationMethod is 'private_key_jwt'/],
    ['the implicit flow', { responseType: 'id_token' }, /responseType/],
  ])('refuses %s', (_name, change, message) => {
    const authn = { authority: BASE.authority, clientId: 'c', callbackUrl: BASE.callbackUrl, oidcConfiguration: { secret: 's', ...change } };
    expect(() => fromOpenMetadataServerConfig(authn as never, undefined, { onNote: () => undefined })).toThrow(message);
  });
});
