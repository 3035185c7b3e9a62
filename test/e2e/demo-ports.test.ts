// `npm run demo:react -- --port N` and `npm run demo:vue -- --port N` (and IDP_ISSUER_PORT /
// IDP_DOMAIN_PORT): the app's callback URL, its config and the local pool's allowed URIs all
// follow the ports in use.
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let server: ViteDevServer | undefined;
const saved = { ...process.env };
afterEach(async () => {
  await server?.close();
  server = undefined;
  process.env = { ...saved };
});

describe.each([
  ['react', '/src/main.tsx'],
  ['vue', '/src/main.ts'],
])('demo:%s on other ports', (name, entry) => {
  it('serves a config and runs a pool that agree on the ports', async () => {
    const [app, issuer, domain] = [await freePort(), await freePort(), await freePort()];
    process.env.IDP_ISSUER_PORT = String(issuer);
    process.env.IDP_DOMAIN_PORT = String(domain);
    const configFile = fileURLToPath(new URL(`../../demo/${name}/vite.config.ts`, import.meta.url));
    // No dependency pre-bundling: only the served config matters here, and a pre-bundle still
    // running when the server closes would hold close() up.
    server = await createServer({ configFile, server: { port: app }, logLevel: 'silent', optimizeDeps: { noDiscovery: true, include: [] } });
    await server.listen();
    const callbackUrl = `http://127.0.0.1:${app}/callback`;

    // In development Vite serves `define` values through its /@vite/env module.
    const code = (await (await fetch(`http://127.0.0.1:${app}${entry}`)).text()) + (await (await fetch(`http://127.0.0.1:${app}/@vite/env`)).text());
    expect(code).toContain('__LOCAL_POOL__');
    expect(code).toContain(callbackUrl);
    expect(code).toContain(`http://127.0.0.1:${issuer}/us-east-1_LocalPool`);
    expect(code).toContain(`http://127.0.0.1:${domain}`);

    // The pool is up on those ports and accepts that callback URL (a sign-in page, not an error page).
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${issuer}/us-east-1_LocalPool/.well-known/jwks.json`).catch(() => null))?.status, { timeout: 10_000 }).toBe(200);
    const q = new URLSearchParams({ client_id: 'local-spa-client', response_type: 'code', redirect_uri: callbackUrl, scope: 'openid', state: 's', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
    const res = await fetch(`http://127.0.0.1:${domain}/oauth2/authorize?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/login\//);
  });
});
