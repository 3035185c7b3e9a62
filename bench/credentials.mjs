// AWS credentials section of the benchmark: the size of the credentials chunk, and the requests
// to Cognito Identity when 20 callers in each of two tabs ask for credentials at once.
//
// Size: the same consumer app as the size section (apps/cognito-spa-auth.mjs, which never asks
// for credentials) built by bundle.mjs; the credentials code is a lazy chunk of its own there,
// imported by nothing the app loads before it calls getAwsCredentials().
//
// Requests: the demo page (demo/serve.mjs: the script-tag build, the local user pool and its
// identity pool, demo/idp/identity.mjs) in headless Chromium, two tabs of one profile signed in as
// alice, counted from the identity pool's own counters (what reached it) and its request log.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

import { chromium } from 'playwright-core';

import { startDemo } from '../demo/serve.mjs';
import { appsDir, buildApp, compressedSizes, sdkIife } from './bundle.mjs';
import { ensureDist } from './size.mjs';

const CHROMIUM = process.env.BENCH_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CALLERS = 20;
/** Targets: one GetId per user ever, one GetCredentialsForIdentity per expiry, across tabs. */
export const CREDENTIALS_TARGETS = { first: { getId: 1, credentials: 1 }, reload: { getId: 0, credentials: 0 }, expiry: { getId: 0, credentials: 1 } };

const log = (message) => process.stderr.write(`[credentials] ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const kb = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;
const mark = (ok) => (ok ? '✅' : '❌');

async function measureSize() {
  await ensureDist();
  const app = await buildApp(join(appsDir, 'cognito-spa-auth.mjs'));
  const chunk = app.chunks.find((c) => c.fileName.startsWith('credentials-'));
  if (!chunk) throw new Error('no credentials chunk in the consumer app: is getAwsCredentials() imported lazily?');
  const staticImporters = app.chunks.filter((c) => c.imports.includes(chunk.fileName)).map((c) => c.fileName);
  return { chunk, initial: app.initial.sizes, lazy: staticImporters.length === 0, iife: compressedSizes(readFileSync(sdkIife)) };
}

/** Sign in through the hosted UI's form (or its live session) from the demo page in `page`. */
async function signIn(page, demo) {
  await page.goto(demo.url);
  await page.waitForFunction(() => ['unauthenticated', 'authenticated'].includes(document.querySelector('[data-testid=status]')?.textContent ?? ''));
  if ((await page.getByTestId('status').textContent()) === 'authenticated') return;
  const form = `${demo.idp.domain}/login/`;
  await Promise.all([page.waitForURL((u) => u.href.startsWith(form) || u.href.startsWith(demo.config.callbackUrl)), page.getByTestId('sign-in').click()]);
  if (page.url().startsWith(form)) {
    await page.fill('#signInFormUsername', 'alice');
    await page.fill('#signInFormPassword', 'Password1!');
    await Promise.all([page.waitForURL((u) => u.href.startsWith(demo.origin)), page.click('button[type=submit]')]);
  }
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'authenticated', undefined, { timeout: 20_000 });
}

/** CALLERS concurrent getAwsCredentials() calls in each tab at once; the access key ids they got. */
const callers = (pages) =>
  Promise.all(pages.map((page) => page.evaluate(async (n) => {
    const list = await Promise.all(Array.from({ length: n }, () => window.demoAuth.getAwsCredentials()));
    return list.map((c) => c.accessKeyId);
  }, CALLERS)));

/** Run the windows for one storage setting; every count comes from the identity pool itself. */
async function measureRequests(storage) {
  const demo = await startDemo({ port: 0, issuerPort: 0, domainPort: 0, log: false, config: { storage } });
  const profile = await mkdtemp(join(tmpdir(), 'cognito-spa-auth-bench-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    const tabs = [context.pages()[0] ?? (await context.newPage()), await context.newPage()];
    for (const tab of tabs) await signIn(tab, demo); // the second tab: restored (local) or the hosted UI's live session
    const { idp } = demo;
    const windows = [];
    const measure = async (name, before) => {
      const counts = { ...idp.identityCounts };
      const start = idp.requests.length;
      if (before) await before();
      const keys = (await callers(tabs)).flat();
      const log = idp.requests.slice(start).filter((r) => r.host === 'issuer' && r.path === '/'); // Cognito Identity
      windows.push({
        name,
        getId: idp.identityCounts.getId - counts.getId,
        credentials: idp.identityCounts.getCredentialsForIdentity - counts.getCredentialsForIdentity,
        preflights: log.filter((r) => r.method === 'OPTIONS').length,
        distinct: new Set(keys).size,
      });
    };
    await measure('first');
    await measure('reload', () => Promise.all(tabs.map(async (tab) => {
      await tab.reload();
      await tab.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'authenticated');
    })));
    // Credentials that live 302 s are due (5 minutes before they expire) 2 s after they are issued:
    // both tabs take such credentials (one forced request), then wait until they are due.
    idp.setCredentialsLifetime(302);
    await Promise.all(tabs.map((tab) => tab.evaluate(() => window.demoAuth.getAwsCredentials({ forceRefresh: true }))));
    idp.setCredentialsLifetime(3600);
    await sleep(2500);
    await measure('expiry');
    return windows;
  } finally {
    await context?.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
    await demo.stop();
  }
}

export const credentialsSection = {
  id: 'credentials',
  title: 'AWS credentials (identity pool)',
  async run() {
    log('size of the credentials chunk');
    const size = await measureSize();
    const runs = [];
    for (const storage of ['local', 'session']) {
      log(`two tabs, ${CALLERS} callers each, storage '${storage}'`);
      runs.push({ storage, windows: await measureRequests(storage) });
    }
    const what = {
      first: `first ask: ${CALLERS} callers in each of two tabs at once`,
      reload: 'after reloading both tabs, the same again',
      expiry: 'once the credentials are due (a 302 s lifetime, 2 s later), the same again',
    };
    const rows = runs.flatMap(({ storage, windows }) => windows.map((w) => {
      const target = CREDENTIALS_TARGETS[w.name];
      const ok = w.getId === target.getId && w.credentials === target.credentials;
      return `| \`${storage}\` | ${what[w.name]} | ${w.getId} | ${w.credentials} | ${w.preflights} | ${w.distinct} | ${target.getId} / ${target.credentials} ${mark(ok)} |`;
    }));
    const markdown = [
      'The credentials code is a lazy chunk of its own: an app that never calls `getAwsCredentials()` or `getIdentityId()` downloads none of it.',
      '',
      '| what | min | gzip | brotli |',
      '| --- | ---: | ---: | ---: |',
      `| credentials chunk (\`${size.chunk.fileName}\`), loaded on the first call | ${kb(size.chunk.sizes.min)} | ${kb(size.chunk.sizes.gzip)} | ${kb(size.chunk.sizes.brotli)} |`,
      `| initial chunk of the consumer app (the same whether it asks for credentials or not) | ${kb(size.initial.min)} | ${kb(size.initial.gzip)} | ${kb(size.initial.brotli)} |`,
      `| \`dist/cognito-auth.iife.js\` (the credentials code included) | ${kb(size.iife.min)} | ${kb(size.iife.gzip)} | ${kb(size.iife.brotli)} |`,
      '',
      `Not imported statically by any chunk: ${mark(size.lazy)}`,
      '',
      `Requests to the local identity pool (demo/idp/identity.mjs) from the demo page in headless Chromium, two tabs of one profile signed in as the same user, \`getAwsCredentials()\` called ${CALLERS} times at once in each tab:`,
      '',
      '| storage | window | GetId | GetCredentialsForIdentity | CORS preflights | distinct access keys handed out | target (GetId / GetCredentialsForIdentity) |',
      '| --- | --- | ---: | ---: | ---: | ---: | --- |',
      ...rows,
      '',
      "With `storage: 'session'` each tab signs in on its own (the second through the hosted UI's live session) and keeps its own copy; the tab that waited for the lock takes the other's result from its BroadcastChannel message. Counted from the identity pool's own counters; preflights are the browser's, cached for 10 minutes.",
    ].join('\n');
    return { markdown, data: { size, runs } };
  },
};
