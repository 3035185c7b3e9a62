import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin, type PreviewServer, type ViteDevServer } from 'vite';
import { startIdp, type LocalIdp } from '../idp/server.mjs';

const src = (path: string): string => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

// The app and the local user pool it signs in against. Fixed ports, so that a build knows them too.
const APP = 'http://127.0.0.1:5174';
const IDP = { issuerPort: 9031, domainPort: 9032, poolId: 'us-east-1_LocalPool', clientId: 'local-spa-client' };
const pool = {
  authority: `http://127.0.0.1:${IDP.issuerPort}/${IDP.poolId}`,
  domain: `http://127.0.0.1:${IDP.domainPort}`,
  clientId: IDP.clientId,
  callbackUrl: `${APP}/callback`,
};

/** Start the local IdP beside `vite` and `vite preview`, and stop it with them. */
function localIdp(): Plugin {
  let idp: Promise<LocalIdp> | undefined;
  const start = (server: ViteDevServer | PreviewServer): void => {
    idp ??= startIdp({ ...IDP, redirectUris: [pool.callbackUrl] });
    server.httpServer?.once('close', () => void idp?.then((i) => i.stop()));
  };
  return { name: 'local-idp', configureServer: start, configurePreviewServer: start };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue(), localIdp()],
  define: { __LOCAL_POOL__: JSON.stringify(pool) },
  resolve: {
    alias: [
      { find: /^cognito-spa-auth$/, replacement: src('index.ts') },
      { find: /^cognito-spa-auth\/vue$/, replacement: src('vue/index.ts') },
    ],
  },
  server: { host: '127.0.0.1', port: 5174, strictPort: true },
  preview: { host: '127.0.0.1', port: 5174, strictPort: true },
});
