import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type PluginOption, type PreviewServer, type UserConfig, type ViteDevServer } from 'vite';
import { startIdp, type LocalIdp } from './idp/server.mjs';

const src = (path: string): string => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

const envPort = (name: string): number | undefined => {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got ${JSON.stringify(v)}`);
  return n;
};

/**
 * The Vite config of an example app (demo/react, demo/vue) and the local user pool it signs in
 * against, started beside `vite` / `vite preview` and stopped with them. The app's port is
 * `o.port` unless `--port` (or `server.port` / `preview.port`) says otherwise; the pool's ports are
 * `o.idpPorts` unless IDP_ISSUER_PORT / IDP_DOMAIN_PORT say otherwise. The callback URL, the
 * pool's allowed URIs and the app's config all follow the ports in use.
 */
export function exampleApp(o: { root: string; port: number; idpPorts: [number, number]; framework: PluginOption; adapter: 'react' | 'vue' }): UserConfig {
  const IDP = {
    issuerPort: envPort('IDP_ISSUER_PORT') ?? o.idpPorts[0],
    domainPort: envPort('IDP_DOMAIN_PORT') ?? o.idpPorts[1],
    poolId: 'us-east-1_LocalPool',
    clientId: 'local-spa-client',
  };
  let pool: { authority: string; domain: string; clientId: string; callbackUrl: string } | undefined;
  let idp: Promise<LocalIdp> | undefined;
  const start = (server: ViteDevServer | PreviewServer): void => {
    if (!pool) return;
    idp ??= startIdp({ ...IDP, redirectUris: [pool.callbackUrl], logoutUris: [new URL('/', pool.callbackUrl).href] });
    server.httpServer?.once('close', () => void idp?.then((i) => i.stop()));
  };
  const localIdp: Plugin = {
    name: 'local-idp',
    // The port the app will have (`vite --port 5180` lands in server.port before this hook runs).
    config(user, env) {
      const port = (env.isPreview ? user.preview?.port : user.server?.port) ?? o.port;
      pool = {
        authority: `http://127.0.0.1:${IDP.issuerPort}/${IDP.poolId}`,
        domain: `http://127.0.0.1:${IDP.domainPort}`,
        clientId: IDP.clientId,
        callbackUrl: `http://127.0.0.1:${port}/callback`,
      };
      return { define: { __LOCAL_POOL__: JSON.stringify(pool) } };
    },
    configureServer: start,
    configurePreviewServer: start,
  };
  return defineConfig({
    root: o.root,
    plugins: [o.framework, localIdp],
    resolve: {
      alias: [
        { find: /^cognito-spa-auth$/, replacement: src('index.ts') },
        { find: new RegExp(`^cognito-spa-auth/${o.adapter}$`), replacement: src(o.adapter === 'react' ? 'react/index.tsx' : 'vue/index.ts') },
      ],
    },
    server: { host: '127.0.0.1', port: o.port, strictPort: true },
    preview: { host: '127.0.0.1', port: o.port, strictPort: true },
  });
}
