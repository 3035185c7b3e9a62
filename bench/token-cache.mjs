// Cached-token section of the benchmark: how fast each SDK hands out an access token it
// already holds, in Node. The measuring runs in a child process (token-cache.worker.mjs) so
// that its globals and heap are its own; this module runs it and renders the table.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { benchDir, sdkEntry } from './bundle.mjs';
import { ensureDist } from './size.mjs';

const worker = join(benchDir, 'token-cache.worker.mjs');
const log = (message) => process.stderr.write(`[token-cache] ${message}\n`);

function runWorker() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker], { cwd: benchDir, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`token-cache.worker.mjs exited with ${code}`));
      else {
        try {
          resolve(JSON.parse(out.trim().split('\n').at(-1)));
        } catch (error) {
          reject(new Error(`token-cache.worker.mjs printed no result: ${error.message}`));
        }
      }
    });
  });
}

const perSecond = (n) => `${Math.round(n).toLocaleString('en-US')}/s`;
const cell = (text) => String(text).replaceAll('|', '\\|');

function markdown(result, versions) {
  const ours = result.results['cognito-spa-auth'];
  const peer = result.results['oidc-client-ts'];
  const ratio = ours.median / peer.median;
  const range = (r) => `${perSecond(Math.min(...r.rounds))} – ${perSecond(Math.max(...r.rounds))}`;
  const list = (names) => (names.length ? names.map((g) => `\`${g}\``).join(', ') : 'none');
  const lines = [
    '| SDK | call | calls per second, median | range over rounds | browser globals read (none defined) | Node globals used | requests |',
    '| --- | --- | ---: | ---: | --- | --- | ---: |',
    `| ${[versions.ours, '`await auth.getAccessToken()`', perSecond(ours.median), range(ours), list(ours.globalsRead.browser), list(ours.globalsRead.node), ours.fetches].map(cell).join(' | ')} |`,
    `| ${[versions.peer, '`(await userManager.getUser()).access_token`', perSecond(peer.median), range(peer), list(peer.globalsRead.browser), list(peer.globalsRead.node), peer.fetches].map(cell).join(' | ')} |`,
    `| ${['ratio cognito-spa-auth / oidc-client-ts', 'medians, same process', `${ratio.toFixed(1)}× (no target)`, '', '', '', ''].map(cell).join(' | ')} |`,
  ];
  const { warmupMs, roundMs, rounds } = result.settings;
  const caption = [
    `Reading a cached access token in Node ${result.node} (one child process for both, same run): calls awaited one after another,`,
    `after ${warmupMs} ms of warm-up each, then ${rounds} rounds of ≥ ${roundMs} ms, alternating which SDK goes first; the median round is shown. Higher is faster.`,
    `Both hold the same signed-in session (Cognito-shaped RS256 tokens: ID ${result.tokenBytes.id} B, access ${result.tokenBytes.access} B, refresh ${result.tokenBytes.refresh} B), valid for an hour, so neither renews.`,
    `This SDK: \`createCognitoAuth({ …, storage, navigate, silentRenew: false })\` with a StorageLike object holding its stored session and \`navigate\` in place of \`location.assign\`, then \`await auth.init()\`, which restores the session with no request.`,
    `In Node it needs no global set up: the browser globals it reads (listed, recorded while each client is set up and first called) are absent and it checks for them; the Node globals it uses are Node's own.`,
    `oidc-client-ts: UserManager (\`automaticSilentRenew: false\`, \`loadUserInfo: false\`) with an InMemoryWebStorage userStore holding the user (stored with \`storeUser()\`); \`getUser()\` reads and parses it from the store on every call.`,
    `\`fetch\` is a stub that fails and counts: neither called it${result.fetchesDuring ? ` (during the rounds: ${result.fetchesDuring} calls)` : ''}.`,
  ].join(' ');
  return `${caption}\n\n${lines.join('\n')}\n`;
}

export const tokenCacheSection = {
  id: 'token-cache',
  title: 'Cached access token in Node',
  async run() {
    ensureDist();
    if (!existsSync(sdkEntry)) throw new Error('dist/ is not built');
    log('measuring (child process)');
    const result = await runWorker();
    const version = (file) => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')).version;
      } catch {
        return '?';
      }
    };
    const versions = {
      ours: `cognito-spa-auth@${version(join(benchDir, '..', 'package.json'))} (dist/)`,
      peer: `oidc-client-ts@${version(join(benchDir, 'node_modules', 'oidc-client-ts', 'package.json'))}`,
    };
    return { markdown: markdown(result, versions), data: result };
  },
};
