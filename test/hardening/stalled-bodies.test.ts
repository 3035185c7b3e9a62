/**
 * A server that sends its headers and then stalls the body: `requestTimeout` covers the whole
 * exchange, so nothing waits for ever (init() never stays in `loading`), and a stalled renew
 * gives the cross-tab lock back so that the next renew, in any tab, proceeds.
 */
import { http, HttpResponse, passthrough } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthEventMap } from '../../src/index.js';
import { DOMAIN } from '../support/cognito.js';
import { server } from '../support/setup.js';
import { startStallServer, type StallServer } from '../support/stall-server.js';
import { makeApp, rejection } from './harness.js';

const TIMEOUT_MS = 400;
// The app runs on loopback http, so that its requests to the local stalling server are not
// mixed content (happy-dom blocks those, as browsers do).
const APP = 'http://localhost:4999';
const app$ = (extra: Parameters<typeof makeApp>[0]) => makeApp({ callbackUrl: `${APP}/callback`, requestTimeout: TIMEOUT_MS, ...extra });
let stall: StallServer;

beforeEach(async () => {
  window.happyDOM?.setURL(`${APP}/`);
  stall = await startStallServer();
  server.use(http.all(`${stall.origin}/*`, () => passthrough()));
});
afterEach(() => stall.close());

/** Resolves with `p`'s outcome, or rejects when it takes longer than `ms` (a hang). */
function within<T>(p: Promise<T>, ms = 4_000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms))]);
}

describe('a body that stalls after the headers', () => {
  it('at the callback token reply: init() ends in error with network_error', async () => {
    const app = await app$({ domain: stall.origin });
    window.happyDOM?.setURL(await app.callbackUrl());
    const state = await within(app.auth.init());
    expect(state.status).toBe('error');
    expect(state.error).toMatchObject({ code: 'network_error', message: expect.stringContaining('timed out') });
    expect(stall.hits).toEqual(['POST /oauth2/token']);
  });

  it('at the key set: the callback fails with network_error instead of hanging', async () => {
    const app = await app$({ publicKeyUrls: [`${stall.origin}/jwks.json`] });
    window.happyDOM?.setURL(await app.callbackUrl());
    const state = await within(app.auth.init());
    expect(state).toMatchObject({ status: 'error', error: { code: 'network_error' } });
    expect(app.cognito.pool.counts.token).toBe(1);
    expect(stall.hits).toEqual(['GET /jwks.json']);
  });

  it('at discovery: signIn() rejects with network_error and navigates nowhere', async () => {
    const app = await app$({ authority: `${stall.origin}/us-east-1_Stalled`, domain: undefined });
    const err = await within(rejection(app.auth.signIn()));
    expect(err).toMatchObject({ code: 'network_error' });
    expect(app.navigations).toEqual([]);
    expect(stall.hits).toEqual(['GET /us-east-1_Stalled/.well-known/openid-configuration']);
  });

  it('at a renew: it times out, gives the tab lock back, and the next renew in another tab proceeds', async () => {
    const app = await app$({ storage: 'local', silentRenew: false });
    await app.signInAs();
    const failed: Array<AuthEventMap['renewFailed']> = [];
    app.auth.on('renewFailed', (e) => failed.push(e));
    // Cognito's token endpoint now sends its headers and a piece of the body, then nothing, once.
    let stalls = 1;
    server.use(
      http.post(`${DOMAIN}/oauth2/token`, () => {
        if (stalls-- <= 0) return undefined;
        const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('{"id_token": "')) });
        return new HttpResponse(body, { headers: { 'Content-Type': 'application/json' } });
      }),
    );
    const first = await within(rejection(app.auth.getAccessToken({ forceRefresh: true })));
    expect(first).toMatchObject({ code: 'network_error' });
    expect(failed).toEqual([expect.objectContaining({ willRetry: true })]);
    expect(app.auth.getState().status).toBe('authenticated'); // a transient fault signs nobody out
    const tab2 = app.another();
    await tab2.init();
    const token = await within(tab2.getAccessToken({ forceRefresh: true }));
    expect(token.split('.')).toHaveLength(3);
    expect(app.cognito.pool.counts.refresh).toBe(1); // the stalled request never reached the pool
  });
});
