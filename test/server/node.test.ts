// toNodeHandler: the BFF behind a real node:http server (and as Connect-style middleware).
import http from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LocalIdp } from '../../demo/idp/server.mjs';
import { listen } from '../../demo/listen.mjs';
import { toNodeHandler, type NodeRequestLike, type NodeResponseLike } from '../../src/server/index.js';
import type { CognitoBff } from '../../src/server/index.js';
import { AppBrowser, bffFor, startPool } from './harness.js';

let idp: LocalIdp;
let server: http.Server;
let base: string;
let bff: CognitoBff;
let api: http.Server;
const upstream: Array<{ url: string; body: string; auth?: string }> = [];

beforeAll(async () => {
  api = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      upstream.push({ url: req.url ?? '', body, auth: req.headers.authorization });
      res.writeHead(201, { 'content-type': 'text/plain' }).end(`got ${body.length} bytes`);
    });
  });
  const apiPort = await listen(api, 0);
  server = http.createServer();
  const port = await listen(server, 0);
  base = `http://127.0.0.1:${port}`;
  idp = await startPool({ redirectUris: [`${base}/callback`], logoutUris: [`${base}/`] });
  bff = bffFor(idp, { callbackUrl: `${base}/callback`, proxy: { '/api': `http://127.0.0.1:${apiPort}` } });
  const node = toNodeHandler(bff, (_req: NodeRequestLike, res: NodeResponseLike) => {
    res.statusCode = 200;
    res.end('the app\n');
  });
  server.on('request', (req, res) => void node(req, res));
});
afterAll(async () => {
  await idp?.stop();
  for (const s of [server, api]) {
    s?.closeAllConnections();
    await new Promise((r) => s?.close(r));
  }
});

describe('toNodeHandler', () => {
  it("answers the BFF's routes, passes every other request on", async () => {
    const login = await fetch(`${base}/auth/login?returnTo=/x`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toMatch(new RegExp(`^${idp.domain}/oauth2/authorize\\?`));
    expect(login.headers.getSetCookie()).toHaveLength(1);

    const session = await fetch(`${base}/auth/session`, { headers: { 'x-csrf': '1' } });
    expect(session.status).toBe(401);
    expect(session.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await session.json()).toMatchObject({ code: 'login_required' });

    const app = await fetch(`${base}/dashboard`);
    expect(await app.text()).toBe('the app\n');
  });

  it('reads request bodies (a sign-out with a bad returnTo is refused: 400)', async () => {
    const res = await fetch(`${base}/auth/logout`, { method: 'POST', headers: { 'x-csrf': '1', origin: base }, body: JSON.stringify({ returnTo: 'not a url' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_config' });
  });

  it('a request target that is a path with two slashes stays a path of this server', async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: new URL(base).port, path: '//evil.example/auth/session', headers: { 'x-csrf': '1' } }, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res).toEqual({ status: 200, body: 'the app\n' }); // not /auth/session of another host
  });

  it('as middleware: next() for what is not the BFF', async () => {
    const calls: string[] = [];
    const mw = toNodeHandler(bffFor(idp));
    const res = { statusCode: 0, setHeader: () => undefined, write: () => true, end: () => calls.push('end'), once: () => undefined } as unknown as NodeResponseLike;
    const req = { method: 'GET', url: '/not-bff', headers: {}, async *[Symbol.asyncIterator]() {} } as NodeRequestLike;
    await mw(req, res, () => calls.push('next'));
    expect(calls).toEqual(['next']);
  });

  it('streams a signed-in request body through the proxy', async () => {
    const user = new AppBrowser(bff, base);
    expect((await user.signIn()).status).toBe(303);

    const big = 'x'.repeat(200_000);
    const proxied = await user.call('/api/upload', { method: 'PUT', body: big });
    expect(proxied.status).toBe(201);
    expect(await proxied.text()).toBe('got 200000 bytes');
    expect(upstream.at(-1)).toMatchObject({ url: '/upload', auth: expect.stringMatching(/^Bearer ey/) });
  });
});

describe('toNodeHandler, bodies', () => {
  it('a sign-out body larger than it can be is refused without reading it all', async () => {
    const res = await fetch(`${base}/auth/logout`, { method: 'POST', headers: { 'x-csrf': '1', origin: base }, body: `{"returnTo":"${'x'.repeat(1_000_000)}"}` });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_config', message: expect.stringMatching(/too large/) });
  });
});
