// Browser sections of the benchmark: requests made to the IdP, and the SDK's time at the
// callback, for this SDK and oidc-client-ts, in the same run, against the same local IdP
// (demo/idp), in headless Chromium driven by playwright-core.
//
// Each SDK gets a tiny static page (bench/apps/browser/<id>.mjs, built by the same pipeline as
// the size section) served from 127.0.0.1 at /<id>/, with /<id>/callback registered as a
// redirect URI of the IdP. Each SDK runs in its own Chromium with a fresh profile. Requests are
// counted from the IdP's own request log (what reached it, preflights included) between two
// points the runner knows exactly: the static server serving the page (or the runner starting
// a renew) and the end of the window; page.on('request') counts the same windows as a check.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { startIdp } from '../demo/idp/server.mjs';
import { appsDir, benchDir, outDir, rootDir, sdkEntry } from './bundle.mjs';
import { buildBenchApp, ensureDist } from './size.mjs';

/** Debian's Chromium; BENCH_CHROMIUM overrides it. */
const CHROMIUM = process.env.BENCH_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Timed callbacks per SDK (after one untimed sign-in through the form); BENCH_RUNS overrides. */
export const TIMED_RUNS = Number(process.env.BENCH_RUNS) > 0 ? Math.floor(Number(process.env.BENCH_RUNS)) : 7;
/**
 * Latency for the second set of timed callbacks (ms), applied to both SDKs' pages alike through
 * Chromium's network emulation; BENCH_LATENCY_MS overrides it, 0 skips that set.
 */
export const LATENCY_MS = (() => {
  const raw = process.env.BENCH_LATENCY_MS;
  if (raw === undefined || raw === '') return 40;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`BENCH_LATENCY_MS must be a number of ms >= 0, got ${raw}`);
  return value;
})();
/** Forced renews per window. */
const RENEWS = 3;
/** A window ends once the IdP has seen no request for this long (ms). */
const QUIET_MS = 300;

/** Targets for this SDK. */
export const REQUEST_TARGETS = {
  signIn: 0,
  callback: { token: 1, maxJwks: 1 },
  reload: 0,
  renew: 1,
};
export const TIME_RATIO_TARGET = 0.8;

const USER = { username: 'alice', password: 'Password1!' };

const log = (message) => process.stderr.write(`[browser] ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function packageVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

/** The two SDKs, each with its page app. */
function sdkList() {
  return [
    { id: 'cognito-spa-auth', label: `cognito-spa-auth@${packageVersion(rootDir)} (dist/)`, built: existsSync(sdkEntry) },
    { id: 'oidc-client-ts', label: `oidc-client-ts@${packageVersion(join(benchDir, 'node_modules', 'oidc-client-ts'))}`, built: true },
  ];
}

// ---------------------------------------------------------------------------
// Static server

const TYPES = { '.js': 'text/javascript; charset=utf-8', '.html': 'text/html; charset=utf-8' };

function pageHtml(sdk, settings) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${sdk.id}</title>
<link rel="icon" href="data:,">
<script>window.BENCH = ${JSON.stringify(settings).replaceAll('<', '\\u003c')};</script>
<script type="module" src="/${sdk.id}/${sdk.entry}"></script>
</head>
<body>
<button id="sign-in">Sign in</button>
</body>
</html>
`;
}

/**
 * Serves each SDK's page at /<id>/ and /<id>/callback and its chunks at /<id>/<file>, with
 * Cache-Control: no-store. Records every page it serves with the IdP log's length at that moment.
 */
async function startStatic(sdks) {
  const files = new Map();
  for (const sdk of sdks) {
    for (const name of await readdir(sdk.dir)) {
      if (name.endsWith('.js')) files.set(`/${sdk.id}/${name}`, await readFile(join(sdk.dir, name)));
    }
  }
  const state = { idp: null, origin: '', hits: [] };
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    const headers = { 'Cache-Control': 'no-store' };
    const sdk = sdks.find((s) => pathname === `/${s.id}/` || pathname === `/${s.id}/callback`);
    if (sdk && req.method === 'GET') {
      state.hits.push({ path: pathname, idpIndex: state.idp.requests.length });
      res.writeHead(200, { ...headers, 'Content-Type': TYPES['.html'] });
      res.end(pageHtml(sdk, {
        authority: state.idp.issuer,
        domain: state.idp.domain,
        clientId: state.idp.clientId,
        callbackUrl: `${state.origin}/${sdk.id}/callback`,
        homePath: `/${sdk.id}/`,
      }));
      return;
    }
    const body = files.get(pathname);
    if (body && req.method === 'GET') {
      res.writeHead(200, { ...headers, 'Content-Type': TYPES['.js'] });
      res.end(body);
      return;
    }
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  state.origin = `http://127.0.0.1:${server.address().port}`;
  state.stop = () => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return state;
}

// ---------------------------------------------------------------------------
// Counting

/** What an IdP request is for. */
function kind(request) {
  if (request.method === 'OPTIONS') return 'preflight';
  if (request.path.endsWith('/.well-known/openid-configuration')) return 'discovery';
  if (request.path.endsWith('/.well-known/jwks.json')) return 'JWKS';
  if (request.path === '/oauth2/token') return 'token';
  if (request.path === '/oauth2/userInfo') return 'userInfo';
  if (request.path === '/oauth2/revoke') return 'revoke';
  return `${request.method} ${request.path}`;
}

/** A window's requests: total and how many of each kind, in order of first appearance. */
function tally(requests) {
  const kinds = {};
  for (const request of requests) {
    const k = kind(request);
    kinds[k] = (kinds[k] ?? 0) + 1;
  }
  return { total: requests.length, kinds };
}

/** One SDK in its own Chromium: the page, the request events it saw, the windows measured. */
class Run {
  constructor(sdk, env) {
    this.sdk = sdk;
    this.env = env;
    this.events = [];
    this.home = `${env.server.origin}/${sdk.id}/`;
    this.callbackPath = `/${sdk.id}/callback`;
    this.windows = { signIn: [], callback: [], reload: [], renewSignedIn: [], renewAfterReload: [], callbackLatency: [] };
    /** Timed callbacks on loopback, then with LATENCY_MS of emulated latency. */
    this.times = [];
    this.latencyTimes = [];
    this.mismatches = [];
  }

  async open() {
    this.profile = await mkdtemp(join(tmpdir(), 'cognito-spa-auth-bench-'));
    this.context = await chromium.launchPersistentContext(this.profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page.setDefaultTimeout(20_000);
    const { issuer, domain } = this.env.idp;
    const idpOrigins = new Set([new URL(issuer).origin, new URL(domain).origin]);
    this.page.on('request', (request) => {
      const url = new URL(request.url());
      this.events.push({
        url: request.url(),
        path: url.pathname,
        idp: idpOrigins.has(url.origin),
        nav: request.isNavigationRequest(),
        method: request.method(),
      });
    });
  }

  /**
   * Chromium's network emulation on this page (a CDP session of its own): every request the page
   * makes, to any origin, gets at least `latency` ms from being sent to its response headers.
   */
  async setLatency(latency) {
    this.cdp ??= await this.context.newCDPSession(this.page);
    await this.cdp.send('Network.enable');
    await this.cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: -1, uploadThroughput: -1 });
  }

  async close() {
    await this.context?.close().catch(() => undefined);
    if (this.profile) await rm(this.profile, { recursive: true, force: true });
  }

  /** Wait until the IdP has seen no request for QUIET_MS. */
  async quiet() {
    const { requests } = this.env.idp;
    let length = requests.length;
    let since = Date.now();
    while (Date.now() - since < QUIET_MS) {
      await sleep(25);
      if (requests.length !== length) {
        length = requests.length;
        since = Date.now();
      }
    }
  }

  async bench() {
    await this.page.waitForFunction(() => window.__bench?.ready === true);
    const result = await this.page.evaluate(() => {
      const { callback, signedIn, sdkStart, sdkMs, userAt, error } = window.__bench;
      const nav = performance.getEntriesByType('navigation')[0];
      // Requests the SDK made (and waited for) between the two performance.now() readings.
      const fetched = performance.getEntriesByType('resource')
        .filter((entry) => entry.startTime >= sdkStart && entry.responseEnd <= userAt)
        .map((entry) => ({ url: entry.name, start: entry.startTime, end: entry.responseEnd }));
      // Every request of the page load, for the check that the emulated latency holds.
      const durations = [...(nav ? [nav.responseEnd - nav.fetchStart] : []),
        ...performance.getEntriesByType('resource').filter((e) => e.responseEnd <= userAt).map((e) => e.responseEnd - e.startTime)];
      return { callback, signedIn, sdkMs, userAt, fetchStart: nav ? nav.fetchStart : 0, fetched, durations, error };
    });
    if (result.error) throw new Error(`${this.sdk.id}: the page failed: ${result.error}`);
    return result;
  }

  /** The IdP log index when the static server served `path`, at or after hit `from`. */
  hitIndex(from, path) {
    const hit = this.env.server.hits.slice(from).find((h) => h.path === path);
    if (!hit) throw new Error(`${this.sdk.id}: the static server never served ${path}`);
    return hit.idpIndex;
  }

  /** Requests the page saw to the IdP's origins, from the navigation to `path` (or event `from`) until `until`. */
  pageCount(from, { navTo, until } = {}) {
    let events = this.events.slice(from);
    if (navTo) events = events.slice(events.findIndex((e) => e.nav && !e.idp && e.path === navTo) + 1);
    if (until) {
      const end = events.findIndex(until);
      if (end >= 0) events = events.slice(0, end);
    }
    return events.filter((e) => e.idp).length;
  }

  /** Record a window; note when the page saw another number than the IdP's log (preflights aside). */
  record(name, requests, pageCount) {
    const t = tally(requests);
    this.windows[name].push(t);
    const expected = t.total - (t.kinds.preflight ?? 0);
    if (pageCount !== expected) this.mismatches.push(`${name}: IdP log ${expected}, page.on('request') ${pageCount}`);
    return t;
  }

  /** (i) Load the signed-out page, click "Sign in", up to the hosted UI's /oauth2/authorize navigation. */
  async signIn() {
    const { idp, server } = this.env;
    const hits = server.hits.length;
    const events = this.events.length;
    await this.page.goto(this.home);
    const state = await this.bench();
    if (state.signedIn) throw new Error(`${this.sdk.id}: signed in before signing in`);
    await this.page.click('#sign-in');
    await this.page.waitForURL((url) => url.origin === new URL(idp.domain).origin && url.pathname.startsWith('/login/'));
    const start = this.hitIndex(hits, `/${this.sdk.id}/`);
    const log = idp.requests.slice(start);
    const end = log.findIndex((r) => r.method === 'GET' && r.path === '/oauth2/authorize');
    if (end < 0) throw new Error(`${this.sdk.id}: no /oauth2/authorize request`);
    const seen = this.pageCount(events, { navTo: `/${this.sdk.id}/`, until: (e) => e.nav && e.idp && e.path === '/oauth2/authorize' });
    this.record('signIn', log.slice(0, end), seen);
  }

  /** (ii) From the callback URL being served until the user is available and the IdP is quiet. */
  async callback(trigger, windowName = 'callback') {
    const { idp, server } = this.env;
    const hits = server.hits.length;
    const events = this.events.length;
    // The page we leave must not pass for the callback page: only the new document says ready.
    await this.page.evaluate(() => {
      if (window.__bench) window.__bench.ready = false;
    });
    await trigger();
    const state = await this.bench();
    await this.quiet();
    if (!state.callback || !state.signedIn) throw new Error(`${this.sdk.id}: the callback did not sign in (${JSON.stringify(state)})`);
    const start = this.hitIndex(hits, this.callbackPath);
    this.record(windowName, idp.requests.slice(start), this.pageCount(events, { navTo: this.callbackPath }));
    return {
      sdkMs: state.sdkMs,
      pageMs: state.userAt - state.fetchStart,
      waits: this.waits(state.fetched),
      shortestRequest: state.durations.length ? Math.min(...state.durations) : null,
    };
  }

  /** Time spent waiting on requests inside the SDK's timed span: per kind, and in all (overlaps counted once). */
  waits(fetched) {
    const byKind = {};
    for (const f of fetched) {
      const url = new URL(f.url);
      const k = url.origin === this.env.server.origin ? 'lazy chunk' : kind({ method: 'GET', path: url.pathname });
      byKind[k] = (byKind[k] ?? 0) + (f.end - f.start);
    }
    let all = 0;
    let reach = -Infinity;
    for (const f of [...fetched].sort((a, b) => a.start - b.start)) {
      const from = Math.max(f.start, reach);
      if (f.end > from) all += f.end - from;
      reach = Math.max(reach, f.end);
    }
    return { all, byKind };
  }

  /** The first sign-in, through the hosted UI's form; untimed (cold browser, cold IdP session). */
  async firstCallback() {
    await this.page.fill('#signInFormUsername', USER.username);
    await this.page.fill('#signInFormPassword', USER.password);
    await this.callback(() => this.page.click('button[type="submit"]'));
  }

  /**
   * A timed callback: from the signed-in page, sign in again (the hosted-UI session answers at
   * once). `latency`: the one taken with the emulated latency on.
   */
  async timedCallback({ latency = false } = {}) {
    await this.page.goto(this.home);
    await this.bench();
    await this.quiet();
    const time = await this.callback(() => this.page.click('#sign-in'), latency ? 'callbackLatency' : 'callback');
    (latency ? this.latencyTimes : this.times).push(time);
  }

  /** (iii) Reload the signed-in page. */
  async reload() {
    const { idp, server } = this.env;
    const hits = server.hits.length;
    const events = this.events.length;
    await this.page.reload();
    const state = await this.bench();
    await this.quiet();
    if (!state.signedIn) throw new Error(`${this.sdk.id}: signed out after a reload`);
    const start = this.hitIndex(hits, `/${this.sdk.id}/`);
    this.record('reload', idp.requests.slice(start), this.pageCount(events, { navTo: `/${this.sdk.id}/` }));
  }

  /** (iv) Forced renews, one at a time. */
  async renews(name, count) {
    const { idp } = this.env;
    for (let i = 0; i < count; i++) {
      const start = idp.requests.length;
      const events = this.events.length;
      const ok = await this.page.evaluate(() => window.__bench.renew());
      await this.quiet();
      if (!ok) throw new Error(`${this.sdk.id}: the renew gave no access token`);
      this.record(name, idp.requests.slice(start), this.pageCount(events));
    }
  }
}

/** Run both SDKs through every window, then the timed callbacks, interleaved. */
async function runBrowser({ verbose = false } = {}) {
  ensureDist();
  const sdks = sdkList();
  for (const sdk of sdks.filter((s) => s.built)) {
    log(`building the ${sdk.id} page`);
    sdk.dir = join(outDir, 'browser', sdk.id);
    const built = await buildBenchApp(join(appsDir, 'browser', `${sdk.id}.mjs`), { dir: sdk.dir, verbose });
    sdk.entry = built.entry;
  }
  const live = sdks.filter((s) => s.built);
  const chromiumVersion = (() => {
    try {
      return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'Chromium';
    }
  })();

  const server = await startStatic(live);
  let idp;
  const runs = [];
  try {
    idp = await startIdp({ redirectUris: live.map((sdk) => `${server.origin}/${sdk.id}/callback`) });
    server.idp = idp;
    const env = { idp, server };
    for (const sdk of live) {
      const run = new Run(sdk, env);
      runs.push(run);
      await run.open();
    }
    for (const run of runs) {
      log(`${run.sdk.id}: sign-in, callback, renews, reload, renews`);
      await run.signIn();
      await run.firstCallback();
      await run.renews('renewSignedIn', RENEWS);
      await run.reload();
      await run.renews('renewAfterReload', RENEWS);
    }
    log(`${TIMED_RUNS} timed callbacks per SDK, interleaved`);
    for (let i = 0; i < TIMED_RUNS; i++) {
      for (const run of runs) await run.timedCallback();
    }
    if (LATENCY_MS > 0) {
      log(`${TIMED_RUNS} timed callbacks per SDK with ${LATENCY_MS} ms latency, interleaved`);
      for (const run of runs) await run.setLatency(LATENCY_MS);
      for (let i = 0; i < TIMED_RUNS; i++) {
        for (const run of runs) await run.timedCallback({ latency: true });
      }
    }
  } finally {
    for (const run of runs) await run.close();
    await idp?.stop();
    await server.stop();
  }
  for (const run of runs) {
    for (const mismatch of run.mismatches) log(`${run.sdk.id}: ${mismatch}`);
  }
  return { sdks, runs, chromiumVersion };
}

let shared = null;
/** One browser run serves both sections when both are selected. */
const browserRun = (options) => (shared ??= runBrowser(options));

// ---------------------------------------------------------------------------
// Rendering

const cell = (text) => String(text).replaceAll('|', '\\|');
const mark = (holds) => (holds ? '✅' : '❌');

/** "2 (token, JWKS)"; several samples that differ read "1–2 (…)" with the kinds of each. */
function describe(samples) {
  if (!samples || samples.length === 0) return 'not measured';
  const text = (t) => {
    const parts = Object.entries(t.kinds).map(([k, n]) => (n > 1 ? `${n} ${k}` : k));
    return parts.length ? `${t.total} (${parts.join(', ')})` : '0';
  };
  const distinct = [...new Set(samples.map(text))];
  return distinct.length === 1 ? distinct[0] : `varies: ${distinct.join(' / ')}`;
}

const worst = (samples) => samples.reduce((a, b) => (b.total > a.total ? b : a));

function requestsMarkdown({ sdks, runs, chromiumVersion }) {
  const ours = runs.find((run) => run.sdk.id === 'cognito-spa-auth');
  const column = (sdk, pick) => {
    const run = runs.find((r) => r.sdk.id === sdk.id);
    return run ? describe(pick(run)) : 'not built';
  };
  const target = (samples, text, holds) => (samples?.length ? `${text}: ${mark(samples.every(holds))}` : `${text}: not measured`);
  const renewAfter = (run) => run.windows.renewAfterReload;
  const rows = [
    {
      n: 'i',
      what: 'sign-in: load the signed-out page, click "Sign in", up to the hosted UI\'s /oauth2/authorize navigation',
      pick: (run) => run.windows.signIn,
      target: (s) => target(s, `${REQUEST_TARGETS.signIn}`, (t) => t.total === REQUEST_TARGETS.signIn),
    },
    {
      n: 'ii',
      what: `callback: from serving the callback URL to "user available" (${1 + TIMED_RUNS} callbacks each)`,
      pick: (run) => run.windows.callback,
      target: (s) => target(s, '1 token + at most 1 JWKS, nothing else', (t) =>
        t.kinds.token === REQUEST_TARGETS.callback.token &&
        (t.kinds.JWKS ?? 0) <= REQUEST_TARGETS.callback.maxJwks &&
        t.total === t.kinds.token + (t.kinds.JWKS ?? 0)),
    },
    {
      n: 'iii',
      what: 'reload while signed in',
      pick: (run) => run.windows.reload,
      target: (s) => target(s, `${REQUEST_TARGETS.reload}`, (t) => t.total === REQUEST_TARGETS.reload),
    },
    {
      n: 'iv-a',
      what: `forced renew on the page that signed in (each of ${RENEWS})`,
      pick: (run) => run.windows.renewSignedIn,
      target: (s) => target(s, `${REQUEST_TARGETS.renew}`, (t) => t.total === REQUEST_TARGETS.renew),
    },
    {
      n: 'iv-b',
      what: 'first forced renew after a reload',
      pick: (run) => renewAfter(run).slice(0, 1),
      target: (s) => target(s, `${REQUEST_TARGETS.renew}`, (t) => t.total === REQUEST_TARGETS.renew),
    },
    {
      n: 'iv-c',
      what: `further forced renews after that reload (each of ${RENEWS - 1})`,
      pick: (run) => renewAfter(run).slice(1),
      target: (s) => target(s, `${REQUEST_TARGETS.renew}`, (t) => t.total === REQUEST_TARGETS.renew),
    },
  ];
  const lines = [
    `| # | requests to the IdP's two origins | ${sdks.map((sdk) => cell(sdk.label)).join(' | ')} | target (this SDK) / holds? |`,
    `| --- | --- | ${sdks.map(() => '---:').join(' | ')} | --- |`,
  ];
  for (const row of rows) {
    const targetCell = ours ? row.target(row.pick(ours)) : 'not built';
    lines.push(`| ${[row.n, row.what, ...sdks.map((sdk) => column(sdk, row.pick)), targetCell].map(cell).join(' | ')} |`);
  }
  const mismatches = runs.flatMap((run) => run.mismatches.map((m) => `${run.sdk.id} ${m}`));
  const check = mismatches.length === 0
    ? `page.on('request') saw the same requests to the IdP in every window${LATENCY_MS > 0 ? ' (and in the callbacks timed with latency, not counted here)' : ''}.`
    : `page.on('request') disagreed with the IdP's log: ${mismatches.join('; ')}.`;
  const caption = [
    `Requests each SDK makes to the local Cognito-shaped IdP (demo/idp: issuer host with discovery and JWKS, hosted-UI domain with /oauth2/*),`,
    `counted from the IdP's own request log, in ${chromiumVersion}, headless, one fresh profile per SDK, same IdP, same run.`,
    `Each SDK's page is a static HTML page and its consumer app (bench/apps/browser/<id>.mjs) built by the size section's pipeline, served from 127.0.0.1 with no caching.`,
    `This SDK: \`domain\` set (no discovery), \`silentRenew: false\`, default session storage; init() handles the callback or restores the session; a forced renew is \`getAccessToken({ forceRefresh: true })\`.`,
    `oidc-client-ts: UserManager with metadata from discovery, \`automaticSilentRenew: false\`, \`loadUserInfo: false\`; signinRedirect(), signinRedirectCallback(), getUser() on load; a forced renew is signinSilent(), which uses the refresh token.`,
    `Windows: (i) from serving the signed-out page to the /oauth2/authorize navigation (the sign-in form and what follows are not counted);`,
    `(ii) from serving the callback URL until the user is available and the IdP has been quiet for ${QUIET_MS} ms (the first callback after the sign-in form, then ${TIMED_RUNS} more through the live hosted-UI session);`,
    `(iii) from serving the page on reload until quiet; (iv) from calling the renew until quiet, first on the page that signed in, then after the reload of (iii).`,
    `${check}`,
  ].join(' ');
  return `${caption}\n\n${lines.join('\n')}\n`;
}

const ms = (value) => `${value.toFixed(1)} ms`;

/** Median, min and max of `values`. */
const spread = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
const msSpread = (s) => `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;

/** Medians of one set of timed callbacks, per SDK. */
function timeStats(runs, pick) {
  return new Map(runs.map((run) => {
    const times = pick(run);
    if (times.length === 0) return [run.sdk.id, null];
    const kinds = [...new Set(times.flatMap((t) => Object.keys(t.waits.byKind)))];
    return [run.sdk.id, {
      sdk: spread(times.map((t) => t.sdkMs)),
      waits: spread(times.map((t) => t.waits.all)),
      own: spread(times.map((t) => t.sdkMs - t.waits.all)),
      byKind: kinds.map((k) => [k, median(times.map((t) => t.waits.byKind[k] ?? 0))]),
      page: spread(times.map((t) => t.pageMs)),
      shortestRequest: Math.min(...times.map((t) => t.shortestRequest ?? Infinity)),
      runs: times.length,
    }];
  }));
}

const TIMED = {
  'cognito-spa-auth': 'init(): loads its lazy chunk, exchanges the code (token request), fetches the JWKS unless it holds the key set from an earlier load, verifies the ID and access tokens (RS256 signatures, claims, nonce, at_hash), stores the session',
  'oidc-client-ts': 'signinRedirectCallback(): fetches discovery, exchanges the code (token request), checks the ID token\'s claims (not its signature), stores the user',
};

/** One table of callback times: a row per SDK and the ratio row with the target. */
function timeTable(sdks, stats, network) {
  const ours = stats.get('cognito-spa-auth');
  const peer = stats.get('oidc-client-ts');
  const ratio = ours && peer ? ours.sdk.median / peer.sdk.median : null;
  const lines = [
    `| SDK (${network}) | what is timed | SDK time at callback, median (min–max) | of which waiting on requests, median (per request) | the rest: the SDK's own work, median | callback page: fetch start → user available, median | runs |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const sdk of sdks) {
    const s = stats.get(sdk.id);
    const cells = s
      ? [
        msSpread(s.sdk),
        `${ms(s.waits.median)} (${s.byKind.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')})`,
        ms(s.own.median),
        ms(s.page.median),
        s.runs,
      ]
      : [sdk.built ? 'not measured' : 'not built', '', '', '', 0];
    lines.push(`| ${[sdk.label, TIMED[sdk.id], ...cells].map(cell).join(' | ')} |`);
  }
  const ratioCells = ratio === null
    ? ['not measured', '', '', '', '']
    : [
      `${ratio.toFixed(2)}× (target ≤ ${TIME_RATIO_TARGET}: ${mark(ratio <= TIME_RATIO_TARGET)})`,
      `${(ours.waits.median / peer.waits.median).toFixed(2)}×`,
      `${(ours.own.median / peer.own.median).toFixed(2)}×`,
      `${(ours.page.median / peer.page.median).toFixed(2)}×`,
      '',
    ];
  lines.push(`| ${[`ratio cognito-spa-auth / oidc-client-ts (${network})`, 'medians, same run', ...ratioCells].map(cell).join(' | ')} |`);
  return lines.join('\n');
}

function timeMarkdown({ sdks, runs, chromiumVersion }) {
  const loopback = timeStats(runs, (run) => run.times);
  const caption = [
    `Time inside the SDK on the callback URL until the user is available: performance.now() just before and just after \`await auth.init()\` (this SDK) and \`await userManager.signinRedirectCallback()\` (oidc-client-ts),`,
    `in ${chromiumVersion}, headless, against the local IdP on 127.0.0.1 (network time is loopback time plus the IdP's work; it signs each token reply with RS256).`,
    `Median of ${TIMED_RUNS} callbacks per SDK, interleaved (this SDK, oidc-client-ts, this SDK, …) in the same run, each a fresh page load of the callback URL through the live hosted-UI session; the first sign-in (through the form) is not timed.`,
    `The two do different work: this SDK verifies both tokens' signatures (and so fetches the JWKS, unless it holds the key set from an earlier callback: the per-request column shows what was fetched), oidc-client-ts verifies none; only the first ratio of each table has a target.`,
    `"Waiting on requests" is the union of the Resource Timing spans (start to response end) of the requests started and finished inside the timed span, overlaps counted once; "the rest" is the SDK time minus that.`,
    `The page column is the page's view: from the callback document's fetch start (after the IdP's redirect) to the same "user available" moment, so it adds loading the page and its bundle (all files served with no caching).`,
    LATENCY_MS > 0
      ? `Two tables: first on loopback as it is, then ${TIMED_RUNS} more callbacks per SDK, same pages, same run, with ${LATENCY_MS} ms of network latency (below).`
      : 'BENCH_LATENCY_MS=0: the callbacks with network latency were not run.',
  ].join(' ');
  const parts = [caption, '', `**On loopback** (no latency added):`, '', timeTable(sdks, loopback, 'loopback')];
  if (LATENCY_MS > 0) {
    const latency = timeStats(runs, (run) => run.latencyTimes);
    const checks = runs.map((run) => {
      const l = latency.get(run.sdk.id);
      const b = loopback.get(run.sdk.id);
      return l && b ? `${run.sdk.id} ${ms(l.shortestRequest)} (on loopback ${ms(b.shortestRequest)})` : `${run.sdk.id} not measured`;
    });
    // Resource Timing rounds to 0.1 ms: allow that much below the emulated latency.
    const held = runs.every((run) => (latency.get(run.sdk.id)?.shortestRequest ?? 0) >= LATENCY_MS - 0.1);
    const latencyCaption = [
      `**With ${LATENCY_MS} ms latency**: how it is applied: Chromium's own network emulation, over a DevTools-protocol session on each SDK's page`,
      `(\`Network.emulateNetworkConditions\` with \`offline: false, latency: ${LATENCY_MS}, downloadThroughput: -1, uploadThroughput: -1\`), set on both pages before these callbacks, so the same for both SDKs.`,
      `It holds every request the page makes, whatever its origin, until at least ${LATENCY_MS} ms after it was sent before its response headers are handed over: the requests to the IdP's two origins (discovery, token, JWKS, and the /oauth2/authorize redirect back to the callback),`,
      `and the static server's (the page, its bundle and this SDK's lazy chunk, which is not cached).`,
      `It is a minimum per request, not added to the server's own time: a reply the local server takes longer than ${LATENCY_MS} ms to produce is not held further, and one that takes t ms gets ${LATENCY_MS} − t ms more;`,
      `it adds no time for connection setup, and no bandwidth limit.`,
      `Check, from Resource Timing (every request of each timed callback page, the document included, fetch start to response end): the shortest took ${checks.join(', ')};`,
      held ? `none took less than ${LATENCY_MS} ms.` : `❗ some took less than ${LATENCY_MS} ms: the emulation did not hold for every request.`,
    ].join(' ');
    parts.push('', latencyCaption, '', timeTable(sdks, latency, `${LATENCY_MS} ms latency`));
  }
  return `${parts.join('\n')}\n`;
}

export const requestsSection = {
  id: 'requests',
  title: 'Requests to the IdP (headless Chromium)',
  async run(options = {}) {
    const result = await browserRun(options);
    return { markdown: requestsMarkdown(result), data: result.runs.map((run) => ({ sdk: run.sdk.id, windows: run.windows })) };
  },
};

export const callbackTimeSection = {
  id: 'callback-time',
  title: 'SDK time at the callback (headless Chromium)',
  async run(options = {}) {
    const result = await browserRun(options);
    return {
      markdown: timeMarkdown(result),
      data: result.runs.map((run) => ({ sdk: run.sdk.id, times: run.times, latencyMs: LATENCY_MS, latencyTimes: run.latencyTimes })),
    };
  },
};
