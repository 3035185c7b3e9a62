// The README's snippets are the files in examples/ (which the e2e tests build and run), and they
// type-check against the built package; the package's types work under every TypeScript
// moduleResolution the README names. Run after `npm run build` (the types come from dist/).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Every snippet a newcomer copies: the apps and the test-kit examples. */
const SNIPPETS = [
  'examples/quick-start/index.html',
  'examples/quick-start/main.ts',
  'examples/script-tag/index.html',
  'examples/react/main.tsx',
  'examples/vue/main.ts',
  'examples/vue/App.vue',
  'examples/testing/react.test.tsx',
  'examples/testing/vue.test.ts',
  'examples/bff/server.ts',
  'examples/bff/main.ts',
];

/** `<!-- snippet: path -->` followed by a fenced block: path -> the block's text. */
function readmeSnippets(): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of readme.matchAll(/<!-- snippet: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)) found.set(m[1] as string, m[2] as string);
  return found;
}

describe('README snippets', () => {
  it('are the example files, verbatim', () => {
    const found = readmeSnippets();
    expect([...found.keys()].sort()).toEqual([...SNIPPETS].sort());
    for (const path of SNIPPETS) expect(found.get(path), path).toBe(readFileSync(join(root, path), 'utf8').replace(/\n$/, ''));
  });

  it('leave no framework code block unchecked', () => {
    // Every tsx, vue and html block is a snippet of a tested file.
    const blocks = [...readme.matchAll(/(<!-- snippet: \S+ -->\n)?```(tsx|vue|html)\n/g)];
    expect(blocks.length).toBeGreaterThan(3);
    for (const b of blocks) expect(b[1], `an unchecked \`\`\`${b[2]} block`).toBeDefined();
  });

  it('type-check (vue-tsc, strict) against the built package', { timeout: 120_000 }, async () => {
    const vueTsc = join(root, 'node_modules/vue-tsc/bin/vue-tsc.js');
    const result = await run(process.execPath, [vueTsc, '-p', join(root, 'examples/tsconfig.json')], { cwd: root }).catch((e: { stdout: string }) => e);
    expect('stdout' in result ? result.stdout : '').toBe('');
  });
});

describe("the package's types under each moduleResolution", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ts-settings-'));
    await mkdir(join(dir, 'node_modules'));
    await symlink(root, join(dir, 'node_modules/cognito-spa-auth'), 'dir'); // as npm install would place it
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const use = `
    const auth: CognitoAuth = createCognitoAuth({ authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_A', clientId: 'c', callbackUrl: 'https://app.example.com/callback' });
    const state: AuthState = auth.getState();
    const fake: CognitoAuth = createTestAuth({ user: 'alice' });
    export const checks = [state.signedOut, fake, RequireAuth, useReactAuth, createAuthGuard, useVueAuth, new AuthError('network_error', 'x').code];
  `;
  const esm = `
    import { createCognitoAuth, AuthError, type AuthState, type CognitoAuth } from 'cognito-spa-auth';
    import { RequireAuth, useAuth as useReactAuth } from 'cognito-spa-auth/react';
    import { createAuthGuard, useAuth as useVueAuth } from 'cognito-spa-auth/vue';
    import { createTestAuth } from 'cognito-spa-auth/testing';
    ${use}`;
  const cjs = `
    import { createCognitoAuth, AuthError, type AuthState, type CognitoAuth } from 'cognito-spa-auth';
    import { RequireAuth, useAuth as useReactAuth } from 'cognito-spa-auth/react';
    import { createAuthGuard, useAuth as useVueAuth } from 'cognito-spa-auth/vue';
    import { createTestAuth } from 'cognito-spa-auth/testing';
    ${use}`;

  it.each([
    ['bundler', 'ESNext', { 'app.ts': esm }],
    ['node16', 'Node16', { 'app.mts': esm, 'app.cts': cjs }],
    ['nodenext', 'NodeNext', { 'app.mts': esm, 'app.cts': cjs }],
  ] as const)('moduleResolution %s', { timeout: 120_000 }, async (resolution, module, files) => {
    const project = join(dir, resolution);
    await mkdir(project, { recursive: true });
    for (const [name, code] of Object.entries(files)) await writeFile(join(project, name), code);
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module, moduleResolution: resolution, target: 'ES2022', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: Object.keys(files),
    }));
    expect(await tsc(project)).toBe('');
  });

  it('(and the check can fail: node10 cannot read the exports map)', { timeout: 120_000 }, async () => {
    const project = join(dir, 'node10');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'app.ts'), esm);
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'ESNext', moduleResolution: 'node10', target: 'ES2022', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, skipLibCheck: true, types: [], ignoreDeprecations: '5.0' },
      files: ['app.ts'],
    }));
    expect(await tsc(project)).toMatch(/Cannot find module 'cognito-spa-auth\/testing'/);
  });
});

async function tsc(project: string): Promise<string> {
  const bin = join(root, 'node_modules/typescript/bin/tsc');
  const result = await run(process.execPath, [bin, '-p', project], { cwd: project }).catch((e: { stdout: string }) => e);
  return 'stdout' in result ? result.stdout : '';
}
