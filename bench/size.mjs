// Bundle-size section of the benchmark.
//
// Every SDK gets the same small consumer app (bench/apps/<name>.mjs: sign in by
// redirect, handle the callback, read the user, get an access token, sign out),
// built for the browser the same way (rollup: node-resolve for the browser,
// commonjs, NODE_ENV=production; terser; ESM output with code splitting), and
// its output is measured minified, gzip -9 and brotli at max quality.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

import commonjs from '@rollup/plugin-commonjs';
import replace from '@rollup/plugin-replace';

import {
  appsDir,
  benchDir,
  buildApp as buildWith,
  compressedSizes,
  KB,
  outDir,
  rollupVersion,
  rootDir,
  sdkEntry,
  sdkIife,
  SIGN_IN_LAZY,
  TARGETS,
} from './bundle.mjs';

export { compressedSizes, TARGETS };

/** The peers, each built from bench/apps/<app>.mjs; `packages` are the ones whose versions are reported. */
export const PEERS = [
  { id: 'oidc-client-ts', packages: ['oidc-client-ts'] },
  { id: 'oidc-client-ts-jose', packages: ['oidc-client-ts', 'jose'], note: 'ID-token signature checked with jose' },
  { id: 'aws-amplify', packages: ['@aws-amplify/auth', '@aws-amplify/core'], note: 'Amplify v6, user pool only' },
  { id: 'auth0-spa-js', packages: ['@auth0/auth0-spa-js'] },
];

const log = (message) => process.stderr.write(`[size] ${message}\n`);

// ---------------------------------------------------------------------------
// Building and measuring

/**
 * The bench's pipeline (bundle.mjs's builder plus NODE_ENV=production and commonjs, for the
 * peers that need them), for any consumer app: `input` is its entry, `dir` its output folder.
 */
export function buildBenchApp(input, { dir, verbose = false, signInLazy = null } = {}) {
  return buildWith(input, {
    dir,
    signInLazy,
    before: [
      replace({
        preventAssignment: true,
        values: { 'process.env.NODE_ENV': JSON.stringify('production') },
      }),
    ],
    after: [commonjs()],
    onWarning: verbose ? (warning) => log(`${relative(benchDir, input)}: warning ${warning.code}: ${warning.message}`) : undefined,
  });
}

/** Build bench/apps/<id>.mjs into bench/.out/<id>/ and measure every output chunk. */
export function buildApp(id, { verbose = false, signInLazy = null } = {}) {
  return buildBenchApp(join(appsDir, `${id}.mjs`), { dir: join(outDir, id), verbose, signInLazy });
}

/** Make sure ../dist exists, building it once with the root's build script if it does not. */
export function ensureDist() {
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
      const built = await buildApp('cognito-spa-auth', { verbose, signInLazy: SIGN_IN_LAZY });
      const lazy = built.signIn.count - built.initial.count;
      rows.push({
        id: 'sdk-initial',
        label: 'cognito-spa-auth: initial (entry chunk)',
        chunks: built.initial.count === 1 ? 'entry' : `entry + ${built.initial.count - 1} static`,
        sizes: built.initial.sizes,
        target: TARGETS.initial,
      });
      rows.push({
        id: 'sdk-all',
        label: 'cognito-spa-auth: all chunks a sign-in app loads',
        chunks: lazy === 0 ? 'entry' : `entry + ${lazy} lazy`,
        sizes: built.signIn.sizes,
        target: TARGETS.signIn,
        baseline: true,
      });
    } catch (error) {
      log(`cognito-spa-auth: ${error.message}`);
      rows.push({ id: 'sdk-initial', label: 'cognito-spa-auth: initial (entry chunk)', error: 'build failed', target: TARGETS.initial });
      rows.push({ id: 'sdk-all', label: 'cognito-spa-auth: all chunks a sign-in app loads', error: 'build failed', target: TARGETS.signIn, baseline: true });
    }
  } else {
    rows.push({ id: 'sdk-initial', label: 'cognito-spa-auth: initial (entry chunk)', error: 'not built', target: TARGETS.initial });
    rows.push({ id: 'sdk-all', label: 'cognito-spa-auth: all chunks a sign-in app loads', error: 'not built', target: TARGETS.signIn, baseline: true });
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
