// The README's apps (examples/, included verbatim in the README) built with Vite from the built
// package and served as an app's own server would: each on 127.0.0.1 port 0, its index.html for
// every page (an SPA), /api/things answering whether a Bearer token came, and the pool's values
// in place of the README's placeholders (the only change made to them).
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect } from 'vitest';
import type { Page } from 'playwright-core';

import { listen } from '../../demo/idp/listen.mjs';
import { startIdp, type LocalIdp } from '../../demo/idp/server.mjs';
import { PASSWORD } from './browser.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLES = join(root, 'examples');

/** The README's placeholder pool, and what stands in for it here. */
export const PLACEHOLDERS = {
  authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF',
  clientId: '1a2b3c4d5e6f7g8h9i0j1k2l3m',
  domain: 'https://my-app.auth.us-east-1.amazoncognito.com',
};

export type ExampleName = 'quick-start' | 'script-tag' | 'react' | 'vue';

/** Build an example with Vite (production), the package's entries taken from dist/ as its exports map says. */
export async function buildExample(name: Exclude<ExampleName, 'script-tag'>, outDir: string): Promise<void> {
  const { build } = await import('vite');
  const plugins =
    name === 'react' ? [(await import('@vitejs/plugin-react')).default()] : name === 'vue' ? [(await import('@vitejs/plugin-vue')).default()] : [];
  await build({
    root: join(EXAMPLES, name),
    configFile: false,
    logLevel: 'silent',
    plugins,
    resolve: {
      alias: [
        { find: /^cognito-spa-auth$/, replacement: join(root, 'dist/index.mjs') },
        { find: /^cognito-spa-auth\/(react|vue)$/, replacement: join(root, 'dist/$1.mjs') },
      ],
    },
    build: { outDir, emptyOutDir: true, reportCompressedSize: false },
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.svg': 'image/svg+xml' };

export interface ServedApp {
  name: ExampleName;
  origin: string;
  /** Authorization headers /api/things received. */
  apiCalls: string[];
  stop(): Promise<void>;
}

/** Serve `dir` (a build, or the script-tag example with dist/cognito-auth.iife.js). `pool()` is read per request. */
export async function serveApp(name: ExampleName, dir: string, pool: () => LocalIdp | undefined): Promise<ServedApp> {
  const apiCalls: string[] = [];
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (pathname === '/api/things') {
      apiCalls.push(req.headers.authorization ?? '');
      res.writeHead(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(req.headers.authorization ?? '') ? 200 : 401).end();
      return;
    }
    let file = pathname === '/cognito-auth.iife.js' ? join(root, 'dist/cognito-auth.iife.js') : normalize(join(dir, pathname));
    if (!file.startsWith(dir + sep) && !file.startsWith(join(root, 'dist'))) file = join(dir, 'index.html');
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html'); // an SPA: every page is the app
    let body = readFileSync(file, 'utf8');
    const idp = pool();
    if (idp) {
      body = body.replaceAll(PLACEHOLDERS.authority, idp.issuer).replaceAll(PLACEHOLDERS.clientId, idp.clientId).replaceAll(PLACEHOLDERS.domain, idp.domain);
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' }).end(body);
  });
  const port = await listen(server, 0);
  return {
    name,
    origin: `http://127.0.0.1:${port}`,
    apiCalls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Build (where needed) and serve the named examples, then start one local pool that allows all of them. */
export async function startApps(names: ExampleName[]): Promise<{ apps: Map<ExampleName, ServedApp>; idp: LocalIdp; stop(): Promise<void> }> {
  const out = await mkdtemp(join(tmpdir(), 'readme-apps-'));
  let idp: LocalIdp | undefined;
  const apps = new Map<ExampleName, ServedApp>();
  const stop = async (): Promise<void> => {
    await Promise.all([...apps.values()].map((a) => a.stop()));
    await idp?.stop();
    await rm(out, { recursive: true, force: true });
  };
  try {
    for (const name of names) {
      const dir = name === 'script-tag' ? join(EXAMPLES, name) : join(out, name);
      if (name !== 'script-tag') await buildExample(name, dir);
      apps.set(name, await serveApp(name, dir, () => idp));
    }
    const origins = [...apps.values()].map((a) => a.origin);
    idp = await startIdp({ redirectUris: origins.map((o) => `${o}/callback`), logoutUris: origins.map((o) => `${o}/`) });
    return { apps, idp, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** On the hosted UI's sign-in page: sign in, and wait to be back on the app. */
export async function signInOnHostedUi(page: Page, idp: LocalIdp, app: ServedApp, username = 'alice'): Promise<void> {
  await page.waitForURL((u) => u.href.startsWith(`${idp.domain}/login/`));
  await page.fill('#signInFormUsername', username);
  await page.fill('#signInFormPassword', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.href.startsWith(app.origin) && !u.pathname.startsWith('/callback')), page.click('button[type=submit]')]);
}

/** The text of the app's `#status` once it matches. */
export async function statusBecomes(page: Page, text: string | RegExp): Promise<void> {
  await expect.poll(async () => (await page.locator('#status, [role=status]').allTextContents()).join(' '), { timeout: 15_000 }).toMatch(text);
}

/**
 * Errors and warnings the apps logged (page errors, console errors, vue-router's warnings); the
 * hosted UI's own failed loads (its favicon, an expired sign-in page on the back button) are not the app's.
 */
export const appErrors = (b: { console: string[] }): string[] =>
  b.console.filter((m) => (/^(pageerror|error|warning):/.test(m) || m.includes('No match found')) && !m.includes('Failed to load resource'));

export const tokenPosts = (idp: LocalIdp): number => idp.requests.filter((r) => r.method === 'POST' && r.path === '/oauth2/token').length;

/**
 * The journey every README app must survive, in one browser tab: a deep link that needs sign-in,
 * the hosted UI, back on the deep link with a clean address; a reload with no request; the back
 * and forward buttons (no history entry holds the code); then the user's own sign-out, which
 * shows the signed-out state and sends nobody back to the hosted UI.
 */
export async function walkThrough(page: Page, idp: LocalIdp, app: ServedApp, o: { clickToSignIn: boolean; signedOut: RegExp; deepLink?: string }): Promise<void> {
  const deepLink = o.deepLink ?? '/reports?id=7';
  idp.requests.length = 0;
  await page.goto(`${app.origin}${deepLink}`);
  if (o.clickToSignIn) {
    await statusBecomes(page, 'unauthenticated');
    // The click goes straight to the hosted UI: no request of any kind first (the sign-in code
    // was prefetched by init() while the page showed the signed-out state).
    await page.waitForLoadState('networkidle');
    const sent: string[] = [];
    const onRequest = (r: { url(): string }): void => void sent.push(r.url());
    page.on('request', onRequest);
    await Promise.all([page.waitForURL((u) => u.href.startsWith(idp.domain)), page.click('#sign-in')]);
    page.off('request', onRequest);
    expect(sent[0]).toMatch(new RegExp(`^${idp.domain}/oauth2/authorize\\?`));
    expect(sent.filter((u) => !u.startsWith(idp.domain))).toEqual([]);
  }
  await signInOnHostedUi(page, idp, app);
  await statusBecomes(page, /Signed in as alice/);
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(deepLink); // returnTo, no code or state
  expect(tokenPosts(idp)).toBe(1);

  // Reload: restored from storage, no request to the pool.
  idp.requests.length = 0;
  await page.reload();
  await statusBecomes(page, /Signed in as alice/);
  expect(idp.requests.filter((r) => r.host === 'domain')).toEqual([]);

  // Back and forward: no entry is the callback URL; coming forward again, still signed in.
  await page.goBack();
  expect(page.url()).not.toMatch(/[?&](code|state)=/);
  await page.goForward();
  await page.waitForURL(`${app.origin}${deepLink}`);
  await statusBecomes(page, /Signed in as alice/);
  expect((await page.locator('[role=alert]').allTextContents()).join('')).toBe('');
  expect(tokenPosts(idp)).toBe(0);
}

/** The user signs out: Cognito's /logout brings the browser back to the app, which says so and stays. */
export async function signOutAndStay(page: Page, idp: LocalIdp, app: ServedApp, signedOut: RegExp): Promise<void> {
  await Promise.all([page.waitForURL(`${app.origin}/`), page.getByRole('button', { name: 'Sign out' }).click()]);
  await statusBecomes(page, signedOut);
  expect(idp.revokedCount()).toBeGreaterThanOrEqual(1);
  await page.waitForTimeout(300); // nothing leaves for the hosted UI on its own
  expect(page.url()).toBe(`${app.origin}/`);
}
