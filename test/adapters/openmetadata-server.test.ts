// @vitest-environment node
// On a server (a backend-for-frontend, server-side rendering) there is no page: fromOpenMetadataConfig
// takes the origin from its caller, and the user rules touch no browser API.
import { expect, it } from 'vitest';
import { AuthError, fromOpenMetadataConfig } from '../../src/index.js';
import { normalizeConfig } from '../../src/config.js';
import { toUser } from '../../src/user.js';
import { jsonFixture } from './om-fixtures.js';

const reply = jsonFixture<Record<string, unknown>>('openmetadata-config-auth-public.json');

it('an empty callbackUrl needs the origin from the caller when no page exists', () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  expect(() => fromOpenMetadataConfig(reply)).toThrow(AuthError);
  expect(() => fromOpenMetadataConfig(reply)).toThrow(/callbackUrl.*pass \{ origin \}/);
  expect(fromOpenMetadataConfig(reply, undefined, { origin: 'https://om.example.org' }).callbackUrl).toBe('https://om.example.org/callback');
});

it('the user rules run without a window', () => {
  const cfg = normalizeConfig({ ...fromOpenMetadataConfig(reply, { principalDomain: 'example.com', adminEmails: ['ann@example.com'] }, { origin: 'https://om.example.org' }) });
  const user = toUser({ sub: 's', 'cognito:username': 'Ann', email: 'Ann@Example.com', email_verified: true, 'cognito:groups': ['us-east-1_TestPool_Okta'] }, cfg, 1, 2);
  expect(user).toMatchObject({ principal: 'ann', email: 'ann@example.com', isAdmin: true, provider: 'Okta', expiresAt: 1, idTokenExpiresAt: 2 });
  expect(() => toUser({ sub: 's', email: 'ann@example.com', email_verified: 'false' }, cfg, 1, 2)).toThrow(expect.objectContaining({ code: 'email_not_verified' }));
});
