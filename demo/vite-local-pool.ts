import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type PluginOption, type PreviewServer, type UserConfig, type ViteDevServer } from 'vite';
import { startIdp, type LocalIdp } from './idp/server.mjs';

const src = (path: string): string => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

/**
 * The Vite config of an example app (demo/react, demo/vue) and the local user pool it signs in
 * against, started beside `vite` / `vite preview` and stopped with them. Fixed ports, so that a
 * build knows them too.
 */
export function exampleApp(o: { root: string; port: number; idpPorts: [number, number]; framework: PluginOption; adapter: 'react' | 'vue' }): UserConfig {
  const IDP = { issuerPort: o.idpPorts[0], domainPort: o.idpPorts[1], poolId: 'us-east-1_LocalPool', clientId: 'local-spa-client' };
  const app = `http://127.0.0.1:${o.port}`;
  const pool = {
    authority: `http://127.0.0.1:${IDP.issuerPort}/${IDP.poolId}`,
    domain: `http://127.0.0.1:${IDP.domainPort}`,
    clientId: IDP.clientId,
    callbackUrl: `${app}/callback`,
  };
  let idp: Promise<LocalIdp> | undefined;
  const start = (server: ViteDevServer | PreviewServer): void => {
    idp ??= startIdp({ ...IDP, redirectUris: [pool.callbackUrl] });
    server.httpServer?.once('close', () => void idp?.then((i) => i.stop()));
  };
  const localIdp: Plugin = { name: 'local-idp', configureServer: start, configurePreviewServer: start };
  return defineConfig({
    root: o.root,
    plugins: [o.framework, localIdp],
    define: { __LOCAL_POOL__: JSON.stringify(pool) },
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
