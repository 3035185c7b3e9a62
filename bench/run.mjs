#!/usr/bin/env node
// Runs the benchmark's sections in order, prints their markdown and writes it
// to bench/results.md. Works from any working directory.
//
//   node bench/run.mjs             every section
//   node bench/run.mjs size        only the named sections
//   node bench/run.mjs --verbose   also print bundler warnings (to stderr)
//
// A section is an object { id, title, run(options) } whose run() resolves to
// { markdown, data }. To add one, write bench/<name>.mjs exporting it, import
// it below and append it to SECTIONS.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { callbackTimeSection, requestsSection } from './browser.mjs';
import { credentialsSection } from './credentials.mjs';
import { sizeSection } from './size.mjs';
import { tokenCacheSection } from './token-cache.mjs';

const SECTIONS = [sizeSection, requestsSection, callbackTimeSection, tokenCacheSection, credentialsSection];

const benchDir = dirname(fileURLToPath(import.meta.url));
const resultsFile = join(benchDir, 'results.md');

const args = process.argv.slice(2);
const options = { verbose: args.includes('--verbose') };
const wanted = args.filter((arg) => !arg.startsWith('--'));
const unknown = wanted.filter((id) => !SECTIONS.some((section) => section.id === id));
if (unknown.length > 0) {
  console.error(`unknown section(s): ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.id).join(', ')}`);
  process.exit(2);
}
const selected = wanted.length > 0 ? SECTIONS.filter((section) => wanted.includes(section.id)) : SECTIONS;

const parts = ['# cognito-spa-auth benchmark', '', `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`, ''];
let failed = false;
for (const section of selected) {
  parts.push(`## ${section.title}`, '');
  try {
    const { markdown } = await section.run(options);
    parts.push(markdown.trimEnd(), '');
  } catch (error) {
    failed = true;
    console.error(`[${section.id}] ${error.stack ?? error}`);
    parts.push(`Section failed: ${String(error.message ?? error).split('\n')[0]}`, '');
  }
}

const report = parts.join('\n');
process.stdout.write(report);
await writeFile(resultsFile, report);
console.error(`\nwritten to bench/results.md`);
if (failed) process.exitCode = 1;
