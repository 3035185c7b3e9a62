// AWS credentials from the local identity pool in real Chromium: the demo page's card, a signed
// S3 request with AWS SDK v3 that the local SigV4-checking service accepts (and refuses when the
// credentials are tampered with), and one request per user and expiry across two tabs.
import { fileURLToPath } from 'node:url';

import type { Page } from 'playwright-core';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

import type { Demo } from '../../demo/serve.mjs';
import type { LocalIdp } from '../../demo/idp/server.mjs';
import { demoPerTest, signIn, text, waitForStatus } from './browser.js';

const start = demoPerTest();
let bundle = '';

/** The S3 test page (pages/aws-s3.ts) with AWS SDK v3, bundled for the browser once. */
beforeAll(async () => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./pages/aws-s3.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  bundle = out.outputFiles[0]?.text ?? '';
  expect(bundle.length).toBeGreaterThan(10_000);
});

/** Serve the bundle from the demo's own origin (its CSP allows 'self' only) and run it in `page`. */
async function loadS3Page(page: Page, demo: Demo): Promise<void> {
  await page.route(`${demo.origin}/aws-s3.js`, (route) => route.fulfill({ body: bundle, contentType: 'text/javascript' }));
  await page.addScriptTag({ url: `${demo.origin}/aws-s3.js` });
}

const counts = (idp: LocalIdp) => ({ ...idp.identityCounts });
const callMany = (page: Page, n: number) =>
  page.evaluate(async (count) => {
    const auth = (window as unknown as { demoAuth: { getAwsCredentials(): Promise<{ accessKeyId: string }> } }).demoAuth;
    return (await Promise.all(Array.from({ length: count }, () => auth.getAwsCredentials()))).map((c) => c.accessKeyId);
  }, n);

describe('AWS credentials in Chromium', () => {
  it('shows the identity id and expiry, signs S3 requests the local service accepts, and refuses tampered ones', async () => {
    const { demo, idp, b } = await start();
    const page = b.page;
    await signIn(page, demo);
    expect(await page.locator('#aws').isVisible()).toBe(true);
    await page.getByTestId('aws-get').click();
    await expect.poll(() => text(page, 'aws-identity-id')).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    const expiresAt = Number(await page.getByTestId('aws-expiration').getAttribute('data-expires-at'));
    expect(Math.abs(expiresAt - (Date.now() + 3600_000))).toBeLessThan(60_000);

    await loadS3Page(page, demo);
    const read = await page.evaluate(() => (window as unknown as { awsS3: { putAndGet(n: string, t: string): Promise<string> } }).awsS3.putAndGet('hello.txt', 'signed in the browser'));
    expect(read).toBe('signed in the browser');
    expect(counts(idp)).toEqual({ getId: 1, getCredentialsForIdentity: 1, accepted: 2, refused: 0 });

    const tamper = (part: string) => page.evaluate((p) => (window as unknown as { awsS3: { tampered(n: string, p: string): Promise<string> } }).awsS3.tampered('hello.txt', p), part);
    expect(await tamper('secretAccessKey')).toBe('SignatureDoesNotMatch 403');
    expect(await tamper('sessionToken')).toBe('InvalidToken 403');
    expect(counts(idp)).toMatchObject({ accepted: 2, refused: 2 });

    // Never the secret on the page, never the ID token in a URL.
    const { secret, idToken } = await page.evaluate(async () => {
      const auth = (window as unknown as { demoAuth: { getAwsCredentials(): Promise<{ secretAccessKey: string }>; getIdToken(): Promise<string> } }).demoAuth;
      return { secret: (await auth.getAwsCredentials()).secretAccessKey, idToken: await auth.getIdToken() };
    });
    expect(await page.content()).not.toContain(secret);
    expect(idp.requests.filter((r) => r.url.includes(idToken.split('.')[1] as string))).toEqual([]);
    expect(b.console.filter((m) => m.includes(idToken.split('.')[1] as string))).toEqual([]);
    expect(counts(idp)).toMatchObject({ getId: 1, getCredentialsForIdentity: 1 });
  });

  it('two tabs, 20 callers each: one GetId and one GetCredentialsForIdentity; none after a reload; one per expiry', async () => {
    const { demo, idp, b } = await start({ config: { storage: 'local' } });
    const one = b.page;
    await signIn(one, demo);
    const two = await b.context.newPage();
    await two.goto(demo.url);
    await waitForStatus(two, 'authenticated');

    const [a, c] = await Promise.all([callMany(one, 20), callMany(two, 20)]);
    expect(new Set([...a, ...c]).size).toBe(1);
    expect(counts(idp)).toMatchObject({ getId: 1, getCredentialsForIdentity: 1 });

    await Promise.all([one.reload(), two.reload()]);
    await Promise.all([waitForStatus(one, 'authenticated'), waitForStatus(two, 'authenticated')]);
    const [d, e] = await Promise.all([callMany(one, 20), callMany(two, 20)]);
    expect(new Set([...d, ...e])).toEqual(new Set(a));
    expect(counts(idp)).toMatchObject({ getId: 1, getCredentialsForIdentity: 1 });

    // Credentials that live 302 s are due (5 min before they expire) 2 s after they are issued.
    idp.setCredentialsLifetime?.(302);
    const [short] = await one.evaluate(async () => {
      const auth = (window as unknown as { demoAuth: { getAwsCredentials(o: object): Promise<{ accessKeyId: string }> } }).demoAuth;
      return [(await auth.getAwsCredentials({ forceRefresh: true })).accessKeyId];
    });
    expect(counts(idp)).toMatchObject({ getId: 1, getCredentialsForIdentity: 2 });
    idp.setCredentialsLifetime?.(3600);
    await new Promise((r) => setTimeout(r, 2500));
    const [f, g] = await Promise.all([callMany(one, 20), callMany(two, 20)]);
    expect(new Set([...f, ...g]).size).toBe(1);
    expect(f[0]).not.toBe(short);
    expect(counts(idp)).toMatchObject({ getId: 1, getCredentialsForIdentity: 3 });
  });

  it('without an identity pool the page shows no AWS credentials card', async () => {
    const { demo, b } = await start({ identityPool: false });
    await signIn(b.page, demo);
    expect(demo.config.identityPoolId).toBeUndefined();
    expect(await b.page.locator('#aws').isVisible()).toBe(false);
  });
});
