import { existsSync, copyFileSync, rmSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

// The adapters import the core as '../index.js'; in the package that is the package itself,
// so that an app holds one core (one state) whichever entry it imports.
const coreAsPackage = (id) => (id.startsWith('../') ? 'cognito-spa-auth' : null);
/** In the adapters, '../index.js' and '../types.js' are the package itself (for JS and for .d.ts). */
const coreImport = {
  name: 'core-as-package',
  resolveId(source, importer) {
    if (importer && /src[\\/](react|vue)[\\/]/.test(importer) && source.startsWith('../')) return { id: 'cognito-spa-auth', external: true };
    return null;
  },
};
/** The script tag loads no chunks: it takes the optional features directly, without their lazy entry. */
const eagerFeatures = {
  name: 'eager-features',
  resolveId: (source, importer) => (source === './features.js' && /src[\\/]client\.ts$/.test(importer ?? '') ? resolvePath('src/features-eager.ts') : null),
};
/** The test kit imports the package's public API as the package itself; its own helpers (and the
 * small state store and emitter it shares with the core's sources) are bundled into it. */
const testingCoreImport = {
  name: 'testing-core-as-package',
  resolveId(source, importer) {
    if (importer && /src[\\/]testing[\\/]/.test(importer) && (source === '../index.js' || source === '../types.js')) return { id: 'cognito-spa-auth', external: true };
    return null;
  },
};
const testingInput = { testing: 'src/testing/index.ts' };
const deps = ['oidc-client-ts', 'jose', 'react', 'react/jsx-runtime', 'vue', 'cognito-spa-auth'];
const external = (id) => deps.includes(id);
const adapterExternal = external;
const ts = () => typescript({ tsconfig: './tsconfig.build.json', outDir: 'dist', outputToFilesystem: false });
const paths = (id) => coreAsPackage(id) ?? id;

// Every build starts from an empty dist/, so no chunk of an earlier build lingers in the package.
rmSync('dist', { recursive: true, force: true });

const adapters = [
  ['react', 'src/react/index.tsx'],
  ['vue', 'src/vue/index.ts'],
].filter(([, file]) => existsSync(file));
const adapterInput = Object.fromEntries(adapters);
// The backend-for-frontend: its server (Node, Bun, Deno, edge: web-standard Request/Response, no
// browser global) and its browser client. Built with the core, so the three share one AuthError.
const coreInput = { index: 'src/index.ts', server: 'src/server/index.ts', bff: 'src/bff/index.ts' };

/** CommonJS consumers get the same types under a .d.cts name (for TypeScript's node16 resolution). */
const copyCts = (names) => ({
  name: 'copy-cts',
  writeBundle() {
    for (const name of names) copyFileSync(`dist/${name}.d.ts`, `dist/${name}.d.cts`);
  },
});

const outputs = [
  { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs', paths, sourcemap: true },
  { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', paths, sourcemap: true, exports: 'named' },
];

export default [
  // 'strict': the package's entry exports its public API only; code it shares with the lazy engine
  // chunk goes to a chunk of its own.
  { input: coreInput, external, plugins: [ts()], output: outputs, preserveEntrySignatures: 'strict' },
  ...(adapters.length ? [{ input: adapterInput, external: adapterExternal, plugins: [coreImport, ts()], output: outputs }] : []),
  { input: testingInput, external, plugins: [testingCoreImport, ts()], output: outputs },
  {
    input: 'src/iife.ts',
    plugins: [eagerFeatures, resolve({ browser: true }), ts(), terser({ format: { comments: false } })],
    output: { file: 'dist/cognito-auth.iife.js', format: 'iife', name: 'CognitoAuth', inlineDynamicImports: true, sourcemap: true },
  },
  {
    // The BFF client from a script tag (demo:bff): the same global, `window.CognitoAuth`.
    input: 'src/bff/iife.ts',
    plugins: [resolve({ browser: true }), ts(), terser({ format: { comments: false } })],
    output: { file: 'dist/cognito-bff.iife.js', format: 'iife', name: 'CognitoAuth', sourcemap: true },
  },
  { input: coreInput, external, plugins: [dts({ tsconfig: './tsconfig.build.json' })], output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'chunks/[name]-[hash].d.ts' } },
  ...(adapters.length
    ? [{ input: adapterInput, external: adapterExternal, plugins: [coreImport, dts({ tsconfig: './tsconfig.build.json' }), copyCts([...Object.keys(coreInput), ...Object.keys(adapterInput)])], output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', paths } }]
    : []),
  { input: testingInput, external, plugins: [testingCoreImport, dts({ tsconfig: './tsconfig.build.json' }), copyCts(['testing'])], output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts' } },
];
