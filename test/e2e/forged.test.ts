// The script-tag build in real Chromium refuses forged tokens: the pool's genuine reply is
// intercepted on its way to the page and its ID token altered, as a man in the middle would.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startDemo, type Demo } from '../../demo/serve.mjs';
import { launchBrowser, signIn, text, type E2EBrowser } from './browser.js';

let demo: Demo;
let b: E2EBrowser;

beforeAll(async () => {
  demo = await startDemo({ port: 0, issuerPort: 0, domainPort: 0, log: false });
});
afterAll(async () => {
  await demo?.stop();
});
beforeEach(async () => {
  b = await launchBrowser();
});
afterEach(async () => {
  await b.close();
});

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Rewrite the ID token of the code exchange's reply before the page sees it. */
async function forge(change: (idToken: string) => string): Promise<void> {
  const idp = demo.idp;
  if (!idp) throw new Error('expected the local pool');
  await b.context.route(`${idp.domain}/oauth2/token`, async (route) => {
    const response = await route.fetch();
    if (route.request().method() !== 'POST') return route.fulfill({ response });
    const json = (await response.json()) as { id_token: string };
    await route.fulfill({ response, json: { ...json, id_token: change(json.id_token) } });
  });
}

describe('forged ID tokens, in the browser', () => {
  it.each([
    ['unsigned (alg: none), claiming to be an admin', (t: string) => {
      const claims = JSON.parse(Buffer.from(t.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
      return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, 'cognito:groups': ['admins'], 'cognito:username': 'root' })}.`;
    }, 'alg'],
    ['with a payload changed after signing', (t: string) => {
      const [h, p, s] = t.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      return `${h}.${b64({ ...claims, email: 'root@example.com' })}.${s}`;
    }, 'signature'],
  ])('refuses a token %s: id_token_invalid, nobody signed in, nothing stored', async (_name, change, reason) => {
    const { page } = b;
    await forge(change);
    await signIn(page, demo, 'bob', 'error');
    expect(await page.locator('[data-testid="error"] .code').textContent()).toBe('id_token_invalid');
    expect(await page.getByTestId('error').textContent()).toContain(reason);
    expect(await text(page, 'status')).toBe('error');
    const stored = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.endsWith('.session')));
    expect(stored).toEqual([]);
  });
});
