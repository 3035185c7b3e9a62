// Bundle-size section of the benchmark.
//
// Every SDK gets the same small consumer app (bench/apps/<name>.mjs: sign in by
// redirect, handle the callback, read the user, get an access token, sign out),
// built for the browser the same way (rollup: node-resolve for the browser,
// commonjs, NODE_ENV=production; terser; ESM output with code splitting), and
// its output is measured minified, gzip -9 and brotli at max quality.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import { rollup, VERSION as rollupVersion } from 'rollup';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootDir = resolve(benchDir, '..');
const appsDir = join(benchDir, 'apps');
const outDir = join(benchDir, '.out');
const distDir = join(rootDir, 'dist');
const sdkEntry = join(distDir, 'index.mjs');
const sdkIife = join(distDir, 'cognito-auth.iife.js');

/** 1 kB = 1000 bytes throughout. */
const KB = 1000;

/** Targets for this SDK, in gzip bytes. */
export const TARGETS = {
  initial: 12 * KB,
  all: 22 * KB,
  iife: 22 * KB,
};

/** The peers, each built from bench/apps/<app>.mjs; `packages` are the ones whose versions are reported. */
export const PEERS = [
  { id: 'oidc-client-ts', packages: ['oidc-client-ts'] },
  { id: 'oidc-client-ts-jose', packages: ['oidc-client-ts', 'jose'], note: 'ID-token signature checked with jose' },
  { id: 'aws-amplify', packages: ['@aws-amplify/auth', '@aws-amplify/core'], note: 'Amplify v6, user pool only' },
  { id: 'auth0-spa-js', packages: ['@auth0/auth0-spa-js'] },
];

const log = (message) => process.stderr.write(`[size] ${message}\n`);

// ---------------------------------------------------------------------------
// Measuring

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
 * `cognito-spa-auth` resolves to the built package in ../dist, and the bare
 * imports of that build (jose, oidc-client-ts) resolve as they would for a
 * consumer that installed the package: from the consumer's node_modules, i.e.
 * the versions pinned here, the same copies the peers are built with.
 */
function sdkFromDist() {
  const importerInApps = join(appsDir, 'cognito-spa-auth.mjs');
  return {
    name: 'sdk-from-dist',
    async resolveId(source, importer, options) {
      if (source === 'cognito-spa-auth') return sdkEntry;
      if (importer && importer.startsWith(distDir + sep) && isBare(source)) {
        return this.resolve(source, importerInApps, { ...options, skipSelf: true });
      }
      return null;
    },
  };
}

/** Warnings that would make the measurement wrong (something left out of the bundle). */
const FATAL_WARNINGS = new Set(['UNRESOLVED_IMPORT', 'MISSING_EXPORT', 'MISSING_GLOBAL_NAME']);

/** Build one consumer app and measure every output chunk. */
export async function buildApp(id, { verbose = false } = {}) {
  const input = join(appsDir, `${id}.mjs`);
  const dir = join(outDir, id);
  rmSync(dir, { recursive: true, force: true });
  const warnings = [];
  const bundle = await rollup({
    input,
    plugins: [
      sdkFromDist(),
      replace({
        preventAssignment: true,
        values: { 'process.env.NODE_ENV': JSON.stringify('production') },
      }),
      nodeResolve({ browser: true, preferBuiltins: false }),
      commonjs(),
    ],
    onwarn(warning) {
      if (FATAL_WARNINGS.has(warning.code)) {
        throw new Error(`${warning.code}: ${warning.message}`);
      }
      warnings.push(warning);
    },
  });
  let output;
  try {
    ({ output } = await bundle.write({
      dir,
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
      plugins: [terser({ ecma: 2020, module: true, format: { comments: false } })],
    }));
  } finally {
    await bundle.close();
  }
  if (verbose) {
    for (const warning of warnings) log(`${id}: warning ${warning.code}: ${warning.message}`);
  }

  const chunks = output
    .filter((item) => item.type === 'chunk')
    .map((chunk) => ({
      fileName: chunk.fileName,
      isEntry: chunk.isEntry,
      imports: chunk.imports,
      dynamicImports: chunk.dynamicImports,
      sizes: compressedSizes(chunk.code),
    }));
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  for (const chunk of chunks) {
    for (const name of [...chunk.imports, ...chunk.dynamicImports]) {
      if (!byName.has(name)) throw new Error(`${id}: ${chunk.fileName} imports "${name}", which is not bundled`);
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

  return {
    chunks,
    initial: { count: initial.size, sizes: sumSizes(initial) },
    all: { count: chunks.length, sizes: sumSizes(chunks) },
    warnings: warnings.length,
  };
}

/** Make sure ../dist exists, building it once with the root's build script if it does not. */
function ensureDist() {
  if (existsSync(sdkEntry) && existsSync(sdkIife)) return;
  log('dist/ is missing or incomplete: running `npm run build` in the repo root');
  const result = spawnSync('npm', ['run', 'build', '--prefix', rootDir], {
    cwd: rootDir,
    stdio: ['ignore', process.stderr, process.stderr],
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) log(`the root build failed (${result.error?.message ?? `exit ${result.status}`})`);
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(benchDir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function rootCommit() {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: rootDir, encoding: 'utf8' });
  if (result.status !== 0) return null;
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'package.json', 'rollup.config.mjs'], {
    cwd: rootDir,
    encoding: 'utf8',
  });
  return `${result.stdout.trim()}${dirty.stdout.trim() ? ' + uncommitted changes' : ''}`;
}

/**
 * Build and measure every bundle. Returns rows in table order; a row whose
 * bundle could not be built has `error` (and no `sizes`) instead of throwing.
 */
export async function measureSizes({ verbose = false } = {}) {
  ensureDist();
  const rows = [];

  // 1. This SDK, from ../dist, through the same pipeline as the peers.
  if (existsSync(sdkEntry)) {
    try {
      log('building cognito-spa-auth');
      const built = await buildApp('cognito-spa-auth', { verbose });
      const lazy = built.all.count - built.initial.count;
      rows.push({
        id: 'sdk-initial',
        label: 'cognito-spa-auth: initial (entry chunk)',
        chunks: built.initial.count === 1 ? 'entry' : `entry + ${built.initial.count - 1} static`,
        sizes: built.initial.sizes,
        target: TARGETS.initial,
      });
      rows.push({
        id: 'sdk-all',
        label: 'cognito-spa-auth: all chunks',
        chunks: lazy === 0 ? 'entry' : `entry + ${lazy} lazy`,
        sizes: built.all.sizes,
        target: TARGETS.all,
        baseline: true,
      });
    } catch (error) {
      log(`cognito-spa-auth: ${error.message}`);
      rows.push({ id: 'sdk-initial', label: 'cognito-spa-auth: initial (entry chunk)', error: 'build failed', target: TARGETS.initial });
      rows.push({ id: 'sdk-all', label: 'cognito-spa-auth: all chunks', error: 'build failed', target: TARGETS.all, baseline: true });
    }
  } else {
    rows.push({ id: 'sdk-initial', label: 'cognito-spa-auth: initial (entry chunk)', error: 'not built', target: TARGETS.initial });
    rows.push({ id: 'sdk-all', label: 'cognito-spa-auth: all chunks', error: 'not built', target: TARGETS.all, baseline: true });
  }

  // 2. This SDK's script-tag build, as shipped (already minified).
  if (existsSync(sdkIife)) {
    rows.push({
      id: 'sdk-iife',
      label: 'cognito-spa-auth: script-tag IIFE (dist/cognito-auth.iife.js, as shipped)',
      chunks: '1 file',
      sizes: compressedSizes(await readFile(sdkIife)),
      target: TARGETS.iife,
    });
  } else {
    rows.push({ id: 'sdk-iife', label: 'cognito-spa-auth: script-tag IIFE (dist/cognito-auth.iife.js)', error: 'not built', target: TARGETS.iife });
  }

  // 3-6. The peers.
  for (const peer of PEERS) {
    const versions = peer.packages.map((name) => `${name}@${packageVersion(name)}`).join(' + ');
    const label = peer.note ? `${versions} (${peer.note})` : versions;
    try {
      log(`building ${peer.id}`);
      const built = await buildApp(peer.id, { verbose });
      const lazy = built.all.count - built.initial.count;
      rows.push({
        id: peer.id,
        label,
        chunks: lazy === 0 ? 'entry' : `entry + ${lazy} lazy`,
        sizes: built.all.sizes,
        peer: true,
      });
    } catch (error) {
      log(`${peer.id}: ${error.message}`);
      rows.push({ id: peer.id, label, error: 'build failed', peer: true });
    }
  }

  const baseline = rows.find((row) => row.baseline);
  for (const row of rows) {
    if (row.peer && row.sizes && baseline?.sizes) row.ratio = row.sizes.gzip / baseline.sizes.gzip;
    if (row.target !== undefined && row.sizes) row.holds = row.sizes.gzip <= row.target;
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Rendering

const bytes = (n) => `${n.toLocaleString('en-US')} B`;
const kb = (n) => `${Number.isInteger(n / KB) ? n / KB : (n / KB).toFixed(2)} kB`;
const size = (n) => `${kb(n)} (${bytes(n)})`;
const cell = (text) => String(text).replaceAll('|', '\\|');

/** The rows as one markdown table, with its caption. */
export function sizeTable(rows, { sdkSource } = {}) {
  const lines = [
    '| # | bundle | chunks | minified | gzip -9 | brotli (q11) | gzip vs this SDK (all chunks) | target / holds? |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | --- |',
  ];
  const numbers = { 'sdk-initial': '1a', 'sdk-all': '1b', 'sdk-iife': '2' };
  let peerNumber = 3;
  for (const row of rows) {
    const number = numbers[row.id] ?? String(peerNumber++);
    const target = row.target === undefined
      ? ''
      : `≤ ${kb(row.target)} gzip: ${row.error ? row.error : row.holds ? '✅' : '❌'}`;
    let ratio = '';
    if (row.baseline) ratio = row.sizes ? '1.00× (baseline)' : '';
    else if (row.peer) ratio = row.ratio === undefined ? (row.error ? '' : 'n/a (SDK not built)') : `${row.ratio.toFixed(2)}×`;
    const measured = row.sizes
      ? [size(row.sizes.min), size(row.sizes.gzip), size(row.sizes.brotli)]
      : [row.error, row.error, row.error];
    lines.push(`| ${[number, row.label, row.chunks ?? '', ...measured, ratio, target].map(cell).join(' | ')} |`);
  }
  const caption = [
    `Bundle size of a small consumer app per SDK (sign in by redirect, handle the callback, read the user, get an access token, sign out),`,
    `built the same way in the same run: rollup ${rollupVersion} with node-resolve (browser: true), commonjs and NODE_ENV=production, then terser;`,
    `ESM output with code splitting. Sizes are the sum over the chunks counted (each compressed on its own): gzip at level 9, brotli at max quality (11).`,
    `1 kB = 1000 bytes. Row 2 is the shipped file, only compressed.${sdkSource ? ` This SDK: ${sdkSource}.` : ''}`,
  ].join(' ');
  return `${caption}\n\n${lines.join('\n')}\n`;
}

/** The section as run.mjs assembles it. */
export const sizeSection = {
  id: 'size',
  title: 'Bundle size',
  async run(options = {}) {
    const rows = await measureSizes(options);
    const commit = existsSync(sdkEntry) ? rootCommit() : null;
    const sdkSource = commit ? `dist/ built in a tree at ${commit}` : null;
    return { markdown: sizeTable(rows, { sdkSource }), data: rows };
  },
};
