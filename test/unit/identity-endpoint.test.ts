import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config.js';
import { identityEndpoint } from '../../src/credentials-api.js';
import { baseConfig } from '../support/app.js';

const endpoint = (extra: Record<string, unknown>) => identityEndpoint(normalizeConfig({ ...baseConfig, ...extra }));

describe('Cognito Identity endpoint', () => {
  it("is Cognito Identity in the identity pool's region", () => {
    expect(endpoint({ identityPoolId: 'eu-central-1:0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e' })).toBe('https://cognito-identity.eu-central-1.amazonaws.com/');
    expect(endpoint({ identityPoolId: 'cn-north-1:0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e' })).toBe('https://cognito-identity.cn-north-1.amazonaws.com.cn/');
  });

  it("is the authority's origin when the authority is on loopback (a local IdP), never otherwise", () => {
    const pool = { identityPoolId: 'us-east-1:0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e' };
    expect(endpoint({ ...pool, authority: 'http://127.0.0.1:9011/us-east-1_LocalPool' })).toBe('http://127.0.0.1:9011/');
    expect(endpoint({ ...pool, authority: 'http://localhost:4566/us-east-1_Local' })).toBe('http://localhost:4566/');
    expect(endpoint({ ...pool, authority: 'https://idp.example.com/realms/app' })).toBe('https://cognito-identity.us-east-1.amazonaws.com/');
  });
});
