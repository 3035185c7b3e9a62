// The demo pointed at a real Cognito pool (COGNITO_* in the CLI): no local pool, the page's
// config and policy name the pool, and Sign in goes to its hosted UI. The network to AWS is
// never used: the browser's request to the hosted UI is answered here.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startDemo, type Demo } from '../../demo/serve.mjs';
import { launchBrowser, text, waitForStatus, type E2EBrowser } from './browser.js';

const POOL = {
  authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example1',
  clientId: '1example23456789',
  domain: 'https://example-app.auth.eu-west-1.amazoncognito.com',
};

let demo: Demo;
let b: E2EBrowser;

beforeAll(async () => {
  demo = await startDemo({ port: 0, log: false, cognito: POOL });
});
afterAll(async () => {
  await demo?.stop();
});
beforeEach(async () => {
  b = await launchBrowser();
});
afterEach(async () => {
  try {
    expect(b.cspViolations()).toEqual([]);
  } finally {
    await b.close();
  }
});

describe('with a real Cognito pool', () => {
  it('starts no local pool and points the page at the real one', async () => {
    expect(demo.idp).toBeNull();
    expect(demo.url).toMatch(/^http:\/\/localhost:\d+\/$/); // Cognito allows http callbacks on localhost only
    expect(demo.config).toMatchObject({ ...POOL, callbackUrl: `${demo.origin}/callback`, logoutUrl: `${demo.origin}/` });
    expect(demo.csp).toContain(`connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com ${POOL.domain};`);

    const { page } = b;
    const authorize: string[] = [];
    await page.route(`${POOL.domain}/**`, async (route) => {
      authorize.push(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'hosted UI' });
    });
    await page.goto(demo.url);
    await waitForStatus(page, 'unauthenticated');
    expect(await text(page, 'error')).toBe('');
    await page.selectOption('#prompt', 'login');
    await page.fill('#max-age', '300');
    await Promise.all([page.waitForURL((u) => u.href.startsWith(POOL.domain)), page.getByTestId('sign-in').click()]);

    expect(authorize).toHaveLength(1);
    const url = new URL(authorize[0] ?? '');
    expect(url.origin + url.pathname).toBe(`${POOL.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: POOL.clientId,
      redirect_uri: `${demo.origin}/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      prompt: 'login',
      max_age: '300',
    });
  });
});
