// Real Chromium for the end-to-end tests (playwright-core, Debian's /usr/bin/chromium), and the
// few page helpers every e2e test uses.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type BrowserContext, type ConsoleMessage, type Page, type Request } from 'playwright-core';
import { afterEach, expect } from 'vitest';

import { startDemo, type Demo, type DemoOptions } from '../../demo/serve.mjs';
import type { LocalIdp } from '../../demo/idp/server.mjs';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const PASSWORD = 'Password1!';

export interface E2EBrowser {
  /** One browser context (one profile): its pages share storage and cookies. */
  context: BrowserContext;
  /** The context's first page. */
  page: Page;
  /** The profile directory (`--user-data-dir`), removed by `close()`. */
  profile: string;
  /** Console messages and page errors of every page of the context, as `type: text`. */
  console: string[];
  /** The messages that report a Content-Security-Policy violation. */
  cspViolations(): string[];
  /** Close Chromium and remove its profile directory. */
  close(): Promise<void>;
}

/**
 * Launch Chromium with a fresh profile (a new `--user-data-dir`, removed by `close()`).
 * Playwright takes the profile as `launchPersistentContext`'s directory, which it passes as
 * `--user-data-dir`.
 */
export interface LaunchOptions {
  viewport?: { width: number; height: number };
  executablePath?: string;
  /** Playwright defaults to leave out, e.g. `--disable-popup-blocking` to have Chromium's popup blocker. */
  ignoreDefaultArgs?: string[];
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<E2EBrowser> {
  const executablePath = options.executablePath ?? CHROMIUM;
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it with \`apt-get update && apt-get install -y chromium\` (CI's .ci/run does this)`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'cognito-spa-auth-e2e-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1100, height: 800 },
      deviceScaleFactor: 1,
      locale: 'en-US',
      timezoneId: 'UTC',
      ignoreDefaultArgs: options.ignoreDefaultArgs,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  const messages: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (m: ConsoleMessage) => messages.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  };
  // Chromium logs a violation as "Refused to ..."; the event makes sure none goes unseen.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Refused to load or run (CSP ${e.effectiveDirective}): ${e.blockedURI || 'inline'} in ${e.documentURI}`);
    });
  });
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    profile,
    console: messages,
    cspViolations: () => messages.filter((m) => m.includes('Refused to') || m.includes('Content Security Policy')),
    async close() {
      try {
        await context.close();
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    },
  };
}

/** The text of `[data-testid=id]`. */
export async function text(page: Page, id: string): Promise<string> {
  return ((await page.getByTestId(id).textContent()) ?? '').trim();
}

/** The page's status (`loading`, `authenticated`, `unauthenticated`, `error`) once it is `status`. */
export async function waitForStatus(page: Page, status: string | RegExp, timeout = 15_000): Promise<void> {
  await expect.poll(() => text(page, 'status'), { timeout }).toMatch(typeof status === 'string' ? new RegExp(`^${status}$`) : status);
}

/** The access token's expiry (epoch seconds) the page shows, or null. */
export async function expiresAt(page: Page): Promise<number | null> {
  const v = await page.getByTestId('expires-in').getAttribute('data-expires-at');
  return v ? Number(v) : null;
}

/**
 * From the demo page, sign in through the hosted UI's form. Returns the callback URL the
 * browser was sent to (with its code and state) once the page shows `authenticated`.
 */
export async function signIn(page: Page, demo: Demo, username = 'alice', expectStatus = 'authenticated'): Promise<string> {
  const idp = demo.idp;
  if (!idp) throw new Error('signIn needs the local pool');
  const callbacks: string[] = [];
  const onRequest = (r: Request): void => {
    if (r.isNavigationRequest() && r.url().startsWith(demo.config.callbackUrl)) callbacks.push(r.url());
  };
  page.on('request', onRequest);
  try {
    if (!page.url().startsWith(demo.origin)) await page.goto(demo.url);
    await waitForStatus(page, /^(unauthenticated|error)$/);
    await Promise.all([page.waitForURL((u) => u.href.startsWith(`${idp.domain}/login/`)), page.getByTestId('sign-in').click()]);
    await page.fill('#signInFormUsername', username);
    await page.fill('#signInFormPassword', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.href.startsWith(demo.origin)), page.click('button[type=submit]')]);
    await waitForStatus(page, expectStatus);
  } finally {
    page.off('request', onRequest);
  }
  const url = callbacks.at(-1);
  if (!url) throw new Error('the browser never reached the callback URL');
  return url;
}

/** POSTs to the token endpoint the pool has received (its request log). */
export function tokenRequests(demo: Demo): number {
  return (demo.idp?.requests ?? []).filter((r) => r.host === 'domain' && r.method === 'POST' && r.path === '/oauth2/token').length;
}

/** From now on, the refresh-grant POSTs `page` sends to a token endpoint (a live list). */
export function refreshGrants(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'POST' || !r.url().endsWith('/oauth2/token')) return;
    if (new URLSearchParams(r.postData() ?? '').get('grant_type') === 'refresh_token') seen.push(r);
  });
  return seen;
}

/**
 * A demo (on free ports) and a fresh Chromium per test, both stopped after it; the test fails on
 * any CSP violation. Call once at the top of a test file; `start()` in each test.
 */
export function demoPerTest(
  defaults: DemoOptions = {},
  browserOptions: LaunchOptions = {},
): (options?: DemoOptions) => Promise<{ demo: Demo; idp: LocalIdp; b: E2EBrowser }> {
  let demo: Demo | undefined;
  let b: E2EBrowser | undefined;
  afterEach(async () => {
    try {
      expect(b?.cspViolations() ?? []).toEqual([]);
    } finally {
      await b?.close();
      await demo?.stop();
      b = undefined;
      demo = undefined;
    }
  });
  return async (options = {}) => {
    demo = await startDemo({ port: 0, issuerPort: 0, domainPort: 0, log: false, ...defaults, ...options, config: { ...defaults.config, ...options.config } });
    b = await launchBrowser(browserOptions);
    if (!demo.idp) throw new Error('expected the local pool');
    return { demo, idp: demo.idp, b };
  };
}
