// The consumer-app builder shared by the bench (size.mjs, browser.mjs) and the size budget test
// (test/size/budget.test.ts).
//
// It needs only rollup, @rollup/plugin-node-resolve and @rollup/plugin-terser, which the repo
// root has as devDependencies too, so the test runs without bench/node_modules. The bench adds
// its extra plugins (NODE_ENV replaced, commonjs) around node-resolve; for this SDK's app they
// change no byte, since dist/ and its dependencies are plain ESM with no `process.env`.
import { rmSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup, VERSION as rollupVersion } from 'rollup';

export { rollupVersion };

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const rootDir = resolve(benchDir, '..');
export const appsDir = join(benchDir, 'apps');
export const outDir = join(benchDir, '.out');
export const distDir = join(rootDir, 'dist');
export const sdkEntry = join(distDir, 'index.mjs');
export const sdkIife = join(distDir, 'cognito-auth.iife.js');

/** 1 kB = 1000 bytes throughout. */
export const KB = 1000;

/** Size budget of this SDK, in gzip -9 bytes (the bench's targets and the test's assertions). */
export const TARGETS = {
  initial: 10 * KB,
  signIn: 19 * KB,
  iife: 22 * KB,
};

/**
 * The lazy chunks of this SDK that a sign-in app loads (building the sign-in, the token exchange and
 * verification). Every
 * other lazy chunk is a capability (AWS credentials, popup, ...) that only an app calling it loads.
 */
export const SIGN_IN_LAZY = /^(engine|signin)-/;

/** Sizes of one file's bytes: raw, gzip -9, brotli at max quality. */
export function compressedSizes(code) {
  const buf = Buffer.isBuffer(code) ? code : Buffer.from(code, 'utf8');
  return {
    min: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length,
  };
}

/** Sum of per-file sizes: each chunk is fetched, and compressed, on its own. */
function sumSizes(chunks) {
  const total = { min: 0, gzip: 0, brotli: 0 };
  for (const chunk of chunks) {
    for (const key of Object.keys(total)) total[key] += chunk.sizes[key];
  }
  return total;
}

const isBare = (id) => !id.startsWith('.') && !id.startsWith('\0') && !isAbsolute(id);

/**
 * `cognito-spa-auth` resolves to the built package in ../dist, and the bare imports of that
 * build (jose, oidc-client-ts) resolve as they would for a consumer that installed the
 * package: from the consumer app's node_modules (bench/node_modules when installed, else the
 * repo root's), the same copies the peers are built with.
 */
function sdkFromDist(input) {
  return {
    name: 'sdk-from-dist',
    async resolveId(source, importer, options) {
      if (source === 'cognito-spa-auth') return sdkEntry;
      if (importer && importer.startsWith(distDir + sep) && isBare(source)) {
        return this.resolve(source, input, { ...options, skipSelf: true });
      }
      return null;
    },
  };
}

/** Warnings that would make the measurement wrong (something left out of the bundle). */
const FATAL_WARNINGS = new Set(['UNRESOLVED_IMPORT', 'MISSING_EXPORT', 'MISSING_GLOBAL_NAME']);

/**
 * Build one consumer app for the browser and measure every output chunk.
 *
 * rollup (the SDK from ../dist, `before`, node-resolve with browser: true, `after`), then
 * terser (module: true, ecma 2020, no comments); ESM output with code splitting.
 *
 * @param {string} input  the app's entry file
 * @param {object} [options]
 * @param {string | null} [options.dir]  write the output here (emptied first); null: in memory only
 * @param {import('rollup').Plugin[]} [options.before]  extra plugins before node-resolve
 * @param {import('rollup').Plugin[]} [options.after]  extra plugins after node-resolve
 * @param {(warning: import('rollup').RollupLog) => void} [options.onWarning]  non-fatal warnings
 * @param {RegExp | null} [options.signInLazy]  which lazy chunks the app's sign-in path loads (by file
 *   name); null: every lazy chunk
 */
export async function buildApp(input, { dir = null, before = [], after = [], onWarning = () => {}, signInLazy = null } = {}) {
  if (dir) rmSync(dir, { recursive: true, force: true });
  let warnings = 0;
  const bundle = await rollup({
    input,
    plugins: [sdkFromDist(input), ...before, nodeResolve({ browser: true, preferBuiltins: false }), ...after],
    onwarn(warning) {
      if (FATAL_WARNINGS.has(warning.code)) throw new Error(`${warning.code}: ${warning.message}`);
      warnings++;
      onWarning(warning);
    },
  });
  let output;
  try {
    const outputOptions = {
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
      plugins: [terser({ ecma: 2020, module: true, format: { comments: false } })],
    };
    ({ output } = dir ? await bundle.write({ ...outputOptions, dir }) : await bundle.generate(outputOptions));
  } finally {
    await bundle.close();
  }

  const chunks = output
    .filter((item) => item.type === 'chunk')
    .map((chunk) => ({
      fileName: chunk.fileName,
      isEntry: chunk.isEntry,
      imports: chunk.imports,
      dynamicImports: chunk.dynamicImports,
      code: chunk.code,
      sizes: compressedSizes(chunk.code),
    }));
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  for (const chunk of chunks) {
    for (const name of [...chunk.imports, ...chunk.dynamicImports]) {
      if (!byName.has(name)) throw new Error(`${input}: ${chunk.fileName} imports "${name}", which is not bundled`);
    }
  }

  // What loads before the app runs: the entry chunk and whatever it imports statically.
  const entry = chunks.find((chunk) => chunk.isEntry);
  const initial = new Set();
  const visit = (chunk) => {
    if (initial.has(chunk)) return;
    initial.add(chunk);
    for (const name of chunk.imports) visit(byName.get(name));
  };
  visit(entry);

  // What the sign-in path loads: the initial chunks, then its lazy chunks and their static imports.
  const signIn = new Set();
  const visitLazy = (chunk) => {
    if (signIn.has(chunk)) return;
    signIn.add(chunk);
    for (const name of chunk.imports) visitLazy(byName.get(name));
    for (const name of chunk.dynamicImports) if (signInLazy === null || signInLazy.test(name)) visitLazy(byName.get(name));
  };
  visitLazy(entry);

  return {
    entry: entry.fileName,
    chunks,
    initial: { count: initial.size, sizes: sumSizes(initial) },
    signIn: { count: signIn.size, sizes: sumSizes(signIn), files: [...signIn].map((c) => c.fileName) },
    all: { count: chunks.length, sizes: sumSizes(chunks) },
    warnings,
  };
}
