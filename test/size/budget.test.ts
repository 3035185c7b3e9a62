// Size budget of the SDK, gzip -9 bytes (1 kB = 1000 bytes): the same consumer app as the
// bench's size section (bench/apps/cognito-spa-auth.mjs), built by the bench's own builder
// (bench/bundle.mjs: rollup + node-resolve for the browser + terser, ESM with code splitting)
// from the built package in dist/ (`npm test` builds it first). The builder needs only the
// root's devDependencies, not bench/node_modules. Bytes are deterministic; no timings here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { beforeAll, describe, expect, it } from 'vitest';

import { appsDir, buildApp, sdkIife, SIGN_IN_LAZY, TARGETS, type BuiltApp } from '../../bench/bundle.mjs';

const gzip = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length;

/**
 * Capabilities an app pays for only when it calls them: a string found only in each one's code.
 * None may be in what a sign-in app loads; each must be in a lazy chunk of its own.
 */
const LAZY_CAPABILITIES: Record<string, string> = {
  'popup sign-in (src/popup.ts)': 'popup_blocked',
  'userInfo (src/userinfo.ts)': 'userinfo_failed',
  'hosted-UI links (src/links.ts)': '/forgotPassword',
  'idle sign-out (src/idle.ts)': 'pointerdown',
  'AWS credentials (identity pools)': 'AWSCognitoIdentityService.',
};

describe('size budget (gzip -9)', () => {
  let app: BuiltApp;
  let code: Map<string, string>;

  beforeAll(async () => {
    app = await buildApp(join(appsDir, 'cognito-spa-auth.mjs'), { signInLazy: SIGN_IN_LAZY });
    code = new Map(app.chunks.map((c) => [c.fileName, c.code]));
  });

  it('the budget is the one the bench prints', () => {
    expect(TARGETS).toEqual({ initial: 10_000, signIn: 19_000, iife: 22_000 });
  });

  it('the consumer app bundles the SDK from dist/ and splits off its lazy part', () => {
    const entry = app.chunks.find((chunk) => chunk.isEntry);
    expect(entry?.fileName).toBe(app.entry);
    expect(app.initial.count).toBeGreaterThanOrEqual(1);
    // The token exchange and verification load lazily, and a sign-in app loads them.
    expect(app.signIn.files.some((f) => SIGN_IN_LAZY.test(f))).toBe(true);
    expect(app.signIn.count).toBeGreaterThan(app.initial.count);
    // A few kB at least: an empty or broken build must not pass the budget by accident.
    expect(app.initial.sizes.gzip).toBeGreaterThan(1_000);
  });

  it(`initial chunk(s) of the consumer app <= ${TARGETS.initial} bytes`, () => {
    const { gzip: bytes } = app.initial.sizes;
    expect(bytes, `initial: ${bytes} B gzip (${app.initial.count} chunk(s))`).toBeLessThanOrEqual(TARGETS.initial);
  });

  it(`all chunks a sign-in app loads <= ${TARGETS.signIn} bytes`, () => {
    const { gzip: bytes } = app.signIn.sizes;
    const detail = app.chunks.map((chunk) => `${chunk.fileName} ${chunk.sizes.gzip} B`).join(', ');
    expect(bytes, `sign-in app: ${bytes} B gzip (${app.signIn.files.join(', ')}; every chunk: ${detail})`).toBeLessThanOrEqual(TARGETS.signIn);
  });

  it.each(Object.entries(LAZY_CAPABILITIES))('%s is in a lazy chunk of its own, never in what a sign-in app loads', (_name, marker) => {
    const holders = [...code].filter(([, text]) => text.includes(marker)).map(([file]) => file);
    expect(holders.length).toBeGreaterThan(0);
    for (const file of holders) expect(app.signIn.files).not.toContain(file);
  });

  it(`dist/cognito-auth.iife.js <= ${TARGETS.iife} bytes`, () => {
    const bytes = gzip(readFileSync(sdkIife));
    expect(bytes, `dist/cognito-auth.iife.js: ${bytes} B gzip`).toBeLessThanOrEqual(TARGETS.iife);
  });
});
