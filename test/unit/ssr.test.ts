// @vitest-environment node
import { expect, it } from 'vitest';

it('importing the package and creating a client touch no window or document (server-side rendering)', async () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  const mod = await import('../../src/index.js');
  const auth = mod.createCognitoAuth({
    authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X',
    clientId: 'c',
    callbackUrl: 'https://app.example.com/callback',
    domain: 'https://x.auth.us-east-1.amazoncognito.com',
  });
  expect(auth.getState()).toEqual({ status: 'loading', user: null, error: null });
  expect(auth.isCallback('https://app.example.com/callback?code=1&state=2')).toBe(true);
});
