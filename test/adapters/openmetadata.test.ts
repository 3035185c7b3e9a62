import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AuthError, createCognitoAuth } from '../../src/index.js';
import { fromOpenMetadataConfig } from '../../src/openmetadata.js';
import type { OpenMetadataAuthenticationConfiguration as AuthnConfig, OpenMetadataAuthorizerConfiguration as AuthzConfig } from '../../src/openmetadata.js';

// OpenMetadata's Cognito examples (the bare-metal openmetadata.yaml sections and the field
// reference's summary values), kept in the repository so a fresh clone runs this test.
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');
const fixture = (name: string): string => readFileSync(resolve(FIXTURES, name), 'utf8');

type Yaml = Record<string, unknown>;
/** Just enough yaml for the fixture: nested maps by indentation, `- item` lists, quoted scalars. */
function parseYaml(text: string): Yaml {
  const root: Yaml = {};
  const stack: Array<{ indent: number; node: Yaml | unknown[] }> = [{ indent: -1, node: root }];
  let lastKey: { parent: Yaml; key: string; indent: number } | null = null;
  const scalar = (s: string): unknown => (/^".*"$/.test(s) ? s.slice(1, -1) : s === 'true' ? true : s === 'false' ? false : s);
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '');
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    while (stack.length > 1 && indent <= stack[stack.length - 1]!.indent) stack.pop();
    const top = stack[stack.length - 1]!;
    if (body.startsWith('- ')) {
      if (!Array.isArray(top.node)) {
        const list: unknown[] = [];
        lastKey!.parent[lastKey!.key] = list;
        stack.push({ indent: lastKey!.indent, node: list });
      }
      (stack[stack.length - 1]!.node as unknown[]).push(scalar(body.slice(2).trim()));
      continue;
    }
    const [, key = '', value = ''] = /^([^:]+):\s*(.*)$/.exec(body) ?? [];
    const parent = top.node as Yaml;
    if (value === '') {
      parent[key] = {};
      lastKey = { parent, key, indent };
      stack.push({ indent, node: parent[key] as Yaml });
    } else {
      parent[key] = scalar(value);
    }
  }
  return root;
}

const bareMetal = parseYaml(fixture('openmetadata-cognito-bare-metal.yaml'));
const authn = bareMetal.authenticationConfiguration as AuthnConfig;
const authz = bareMetal.authorizerConfiguration as AuthzConfig;
const summary = JSON.parse(fixture('openmetadata-cognito-confidential-summary.json')) as AuthnConfig;
const { clientSecret: _secret, ...publicSummary } = summary;

const BARE_METAL_CONFIG = {
  authority: 'https://cognito-idp.us-west-1.amazonaws.com/{User Pool ID}',
  clientId: '{Client ID}',
  callbackUrl: 'http://localhost:8585/callback',
  publicKeyUrls: [
    'https://cognito-idp.us-west-1.amazonaws.com/{User Pool ID}/.well-known/jwks.json',
    '{your domain}/api/v1/system/config/jwks',
  ],
  adminPrincipals: ['user1', 'user2'],
  principalDomain: 'open-metadata.org',
};

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

describe('fromOpenMetadataConfig', () => {
  it('maps the bare-metal yaml sections, keeping placeholders and dropping server-only fields', () => {
    expect(fromOpenMetadataConfig(authn, authz)).toEqual(BARE_METAL_CONFIG);
  });

  it('accepts the whole yaml document as one argument', () => {
    expect(fromOpenMetadataConfig(bareMetal as AuthnConfig)).toEqual(BARE_METAL_CONFIG);
  });

  it('refuses the confidential summary because of its client secret', () => {
    const e = refusal(() => fromOpenMetadataConfig(summary));
    expect(e.message).toContain('clientSecret');
    expect(e.message).toContain('a browser app is a public client; remove the secret and use an app client without one');
  });

  it('maps the summary once the secret is removed', () => {
    expect(fromOpenMetadataConfig(publicSummary)).toEqual({
      authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF',
      clientId: '1a2b3c4d5e6f7g8h9i0j1k2l3m4n5o6p',
      callbackUrl: 'https://yourapp.company.com/callback',
      publicKeyUrls: ['https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF/.well-known/jwks.json'],
      tokenValidationAlgorithm: 'RS256',
      scopes: 'openid email profile aws.cognito.signin.user.admin',
      prompt: 'login',
      maxAge: 3600,
      maxClockSkew: 0,
      sessionExpiry: 604800,
      jwtPrincipalClaims: ['cognito:username', 'email', 'sub'],
      jwtPrincipalClaimsMapping: ['email:email', 'name:name', 'firstName:given_name'],
      adminPrincipals: ['admin@company.com', 'superuser@company.com'],
      principalDomain: 'company.com',
      enforcePrincipalDomain: false,
    });
  });

  it('reads OIDC fields nested in oidcConfiguration and parses numbers and booleans given as strings', () => {
    const config = fromOpenMetadataConfig(
      {
        provider: 'AWS-Cognito',
        authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X/',
        callbackUrl: '',
        principalDomain: 'auth.example',
        enforcePrincipalDomain: 'false',
        oidcConfiguration: {
          id: 'abc',
          secret: '',
          type: 'aws-cognito',
          scope: 'openid email',
          discoveryUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X/.well-known/openid-configuration',
          responseType: 'code',
          disablePkce: 'false',
          preferredJwsAlgorithm: 'rs256',
          maxAge: '0',
          maxClockSkew: '30',
          sessionExpiry: '3600',
          tokenValidity: '3600',
          prompt: 'Consent',
          callbackUrl: 'https://app.example/callback',
          serverUrl: 'https://app.example',
          clientAuthenticationMethod: 'client_secret_post',
          customParams: {},
        },
      },
      { className: 'x', principalDomain: 'example.com', enforcePrincipalDomain: true, adminPrincipals: 'a, b' },
    );
    expect(config).toEqual({
      authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X/',
      clientId: 'abc',
      callbackUrl: 'https://app.example/callback',
      tokenValidationAlgorithm: 'RS256',
      scopes: 'openid email',
      prompt: 'consent',
      maxClockSkew: 30,
      sessionExpiry: 3600,
      adminPrincipals: ['a', 'b'],
      principalDomain: 'example.com',
      enforcePrincipalDomain: true,
    });
  });

  it('derives the authority from discoveryUri when only that is given', () => {
    const { authority: _a, ...rest } = publicSummary;
    expect(fromOpenMetadataConfig(rest).authority).toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF');
  });

  it('refuses another provider, naming it', () => {
    expect(refusal(() => fromOpenMetadataConfig({ ...authn, provider: 'okta' })).message).toContain("'okta'");
  });

  it('refuses a discoveryUri that is not the authority\'s', () => {
    const e = refusal(() => fromOpenMetadataConfig({ ...publicSummary, discoveryUri: 'https://accounts.google.com/.well-known/openid-configuration' }));
    expect(e.message).toContain('discoveryUri');
  });

  it('refuses the implicit flow', () => {
    const e = refusal(() => fromOpenMetadataConfig({ ...publicSummary, responseType: 'id_token' }));
    expect(e.message).toMatch(/responseType.*implicit/);
    refusal(() => fromOpenMetadataConfig({ ...authn, oidcConfiguration: { responseType: 'token' } }));
  });

  it('refuses disablePkce: true', () => {
    expect(refusal(() => fromOpenMetadataConfig({ ...publicSummary, disablePkce: true })).message).toContain('disablePkce');
    refusal(() => fromOpenMetadataConfig({ ...authn, oidcConfiguration: { disablePkce: 'true' } }));
  });

  it('refuses a secret nested in oidcConfiguration, saying the client is confidential', () => {
    const e = refusal(() => fromOpenMetadataConfig({ ...authn, clientType: 'confidential', oidcConfiguration: { secret: 's3cret' } }));
    expect(e.message).toContain('oidcConfiguration.secret');
    expect(e.message).toContain('confidential');
    expect(e.message).not.toContain('s3cret');
  });

  it('refuses malformed values and missing required fields, naming the field', () => {
    expect(refusal(() => fromOpenMetadataConfig({ ...publicSummary, maxAge: 'an hour' })).message).toContain('maxAge');
    expect(refusal(() => fromOpenMetadataConfig({ ...publicSummary, preferredJwsAlgorithm: 'HS256' })).message).toContain('preferredJwsAlgorithm');
    expect(refusal(() => fromOpenMetadataConfig({ ...publicSummary, preferredJwsAlgorithm: 'RS512' })).message).toContain('exactly one algorithm');
    expect(refusal(() => fromOpenMetadataConfig({ ...publicSummary, prompt: 'always' })).message).toContain('prompt');
    expect(refusal(() => fromOpenMetadataConfig({ ...authn, clientId: '' })).message).toContain('clientId');
    expect(refusal(() => fromOpenMetadataConfig({ ...authn, authority: undefined })).message).toContain('authority');
  });

  it('gives createCognitoAuth a config it accepts once the placeholders are filled in', () => {
    const fill = <T,>(o: T): T =>
      JSON.parse(
        JSON.stringify(o)
          .replaceAll('{User Pool ID}', 'us-west-1_AbC123')
          .replaceAll('{Client ID}', '4abc123def456')
          .replaceAll('{your domain}', 'https://openmetadata.example.com'),
      ) as T;
    const config = fromOpenMetadataConfig(fill(authn), fill(authz));
    expect(config.authority).toBe('https://cognito-idp.us-west-1.amazonaws.com/us-west-1_AbC123');
    const auth = createCognitoAuth(config);
    expect(auth.getState().status).toBe('loading');
    auth.destroy();
    expect(() => createCognitoAuth(fromOpenMetadataConfig(publicSummary)).destroy()).not.toThrow();
    // Left as they are, the placeholders are for createCognitoAuth to refuse.
    expect(refusal(() => createCognitoAuth(fromOpenMetadataConfig(authn, authz))).message).toContain('publicKeyUrls');
  });
});
