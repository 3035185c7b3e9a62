// `cognito-spa-auth/testing` as the built package serves it (run after `npm run build`): ESM and
// CommonJS by name through the exports map, and never reachable from the main entry.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');

/** Every file the ESM entry loads, statically or lazily, following relative imports. */
function reachable(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const code = readFileSync(file, 'utf8');
    seen.set(file, code);
    for (const m of code.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) visit(resolve(dirname(file), m[1] as string));
  };
  visit(entry);
  return seen;
}

const node = (args: string[]): string => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();

describe('cognito-spa-auth/testing in the built package', () => {
  it('loads by name as ESM and as CommonJS, with the same AuthError as the main entry', () => {
    const esm = node(['--input-type=module', '-e', `
      import { createTestAuth } from 'cognito-spa-auth/testing';
      import { AuthError } from 'cognito-spa-auth';
      const auth = createTestAuth({ user: 'alice' });
      auth.expire();
      console.log(auth.getState().status, auth.getState().error instanceof AuthError);`]);
    expect(esm).toBe('unauthenticated true');
    const cjs = node(['-e', `
      const { createTestAuth } = require('cognito-spa-auth/testing');
      const { AuthError } = require('cognito-spa-auth');
      const auth = createTestAuth();
      auth.signIn({ returnTo: 'https://elsewhere.example/' }).catch((e) => console.log(e instanceof AuthError, e.code));`]);
    expect(cjs).toBe('true invalid_config');
  });

  it('is not reachable from the main entry: an app that does not import it carries none of it', () => {
    const files = reachable(join(dist, 'index.mjs'));
    expect(files.size).toBeGreaterThan(1); // the entry and its lazy chunks
    const kit = readFileSync(join(dist, 'testing.mjs'), 'utf8');
    expect(kit).toContain('createTestAuth');
    for (const [file, code] of files) {
      expect(file).not.toMatch(/testing/);
      expect(code).not.toContain('createTestAuth');
      expect(code).not.toContain('test-kit');
    }
  });
});
