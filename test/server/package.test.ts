// cognito-spa-auth/server and /bff as the built package serves them (run after `npm run build`):
// ESM and CommonJS by name through the exports map, one AuthError with the main entry, the server
// on jose alone, and neither reachable from the main entry.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'dist');
const node = (args: string[]): string => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();

/** Every file an ESM entry loads, statically or lazily, and the packages they import. */
function reachable(entry: string): { files: Map<string, string>; packages: Set<string> } {
  const files = new Map<string, string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    const code = readFileSync(file, 'utf8');
    files.set(file, code);
    // Import statements only (not the examples in doc comments).
    for (const m of code.matchAll(/^(?:import|export)\b[^'"\n]*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
      const spec = (m[1] ?? m[2]) as string;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

const CONFIG = `{ authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X', clientId: 'c', clientSecret: 's', domain: 'https://x.auth.us-east-1.amazoncognito.com', callbackUrl: 'https://app.example.com/callback', cookieSecret: 'x'.repeat(32) }`;

describe('cognito-spa-auth/server and /bff in the built package', () => {
  it('load by name as ESM and as CommonJS, with the same AuthError as the main entry', () => {
    const esm = node(['--input-type=module', '-e', `
      import { createCognitoBff } from 'cognito-spa-auth/server';
      import { createCognitoAuth } from 'cognito-spa-auth/bff';
      import { AuthError } from 'cognito-spa-auth';
      const bff = createCognitoBff(${CONFIG});
      const res = await bff.handler(new Request('https://app.example.com/auth/login'));
      let refused;
      try { createCognitoBff({ ...${CONFIG}, clientSecret: '' }); } catch (e) { refused = e; }
      let bad;
      try { createCognitoAuth({ basePath: 'no' }); } catch (e) { bad = e; }
      console.log(res.status, refused instanceof AuthError, bad instanceof AuthError);`]);
    expect(esm).toBe('302 true true');
    const cjs = node(['-e', `
      const { createCognitoBff, AuthError: ServerError } = require('cognito-spa-auth/server');
      const { AuthError } = require('cognito-spa-auth');
      createCognitoBff(${CONFIG}).handler(new Request('https://app.example.com/auth/session', { headers: { 'x-csrf': '1' } }))
        .then(async (res) => console.log(res.status, (await res.json()).code, ServerError === AuthError));`]);
    expect(cjs).toBe('401 login_required true');
  });

  it('the server depends on jose alone (it runs above in Node, which has no window); neither entry is reachable from the main one', () => {
    const server = reachable(join(dist, 'server.mjs'));
    expect([...server.packages]).toEqual(['jose']);
    const main = reachable(join(dist, 'index.mjs'));
    for (const file of main.files.keys()) expect(file).not.toMatch(/[\\/](server|bff)\.mjs$/);
    for (const code of main.files.values()) expect(code).not.toMatch(/createCognitoBff|cognito-bff/);
  });
});
