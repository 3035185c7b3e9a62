// The Redis session store against a real redis-server (started and stopped here): two BFF
// instances sharing it, concurrent requests on both, refresh-token rotation on: one refresh.
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LocalIdp } from '../../demo/idp/server.mjs';
import { redisStore, type SessionStore } from '../../src/server/index.js';
import { AppBrowser, bffFor, body, signInDue, startPool, tokenRequests } from './harness.js';
import { startRedis, type RedisServer } from './redis-server.js';

let redis: RedisServer;
let idp: LocalIdp;
const clients: Array<{ quit(): Promise<unknown> }> = [];

async function connect() {
  const client = createClient({ url: redis.url });
  client.on('error', () => undefined); // reported through the commands that fail
  await client.connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  [redis, idp] = await Promise.all([startRedis(), startPool({ rotateRefreshTokens: true })]);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
  await Promise.all([redis?.stop(), idp?.stop()]);
});

describe('redisStore', () => {
  let store: SessionStore;
  beforeAll(async () => {
    store = redisStore({ client: await connect(), prefix: 'test:' });
  });

  it('gets, sets with a TTL, deletes', async () => {
    await store.set('k', 'v1', 1);
    expect(await store.get('k')).toBe('v1');
    const raw = await connect();
    expect(await raw.ttl('test:k')).toBeGreaterThan(0);
    await store.delete('k');
    expect(await store.get('k')).toBeNull();
    await store.set('gone', 'v', 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await store.get('gone')).toBeNull();
  });

  it('lock: one holder at a time, across clients; released after a failure too', async () => {
    const other = redisStore({ client: await connect(), prefix: 'test:' });
    const log: string[] = [];
    const hold = (s: SessionStore, name: string) =>
      s.lock('L', async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 30));
        log.push(`${name}-`);
        return name;
      });
    const results = await Promise.all([hold(store, 'a'), hold(other, 'b'), hold(store, 'c'), hold(other, 'd')]);
    expect(results).toEqual(['a', 'b', 'c', 'd']);
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]!.replace('+', '-')); // never interleaved
    await expect(store.lock('L', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await other.lock('L', async () => 'free')).toBe('free');
  });

  it("a client of ioredis's shape (call(command, ...args)) works the same", async () => {
    const raw = await connect();
    const ioredisLike = { call: (command: string, ...args: string[]) => raw.sendCommand([command, ...args]) };
    const other = redisStore({ client: ioredisLike, prefix: 'test:' });
    await other.set('io', 'v', 5);
    expect(await store.get('io')).toBe('v');
    expect(await other.lock('io-lock', async () => 'held')).toBe('held');
    await other.delete('io');
    expect(await other.get('io')).toBeNull();
    expect(() => redisStore({ client: {} as never })).toThrow(/node-redis or ioredis/);
    for (const bad of [undefined, {}, { client: {} }, { client: await connect(), lockLeaseMs: 0 }, { client: await connect(), lockWaitMs: -1 }]) {
      expect(() => redisStore(bad as never)).toThrow(expect.objectContaining({ name: 'AuthError', code: 'invalid_config' }));
    }
  });

  it('a lock held too long times out instead of waiting forever', async () => {
    const impatient = redisStore({ client: await connect(), prefix: 'test:', lockWaitMs: 100 });
    let release!: () => void;
    const held = store.lock('slow', () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    // Transient, like any fault of the store: the BFF answers 503 and the session stays.
    await expect(impatient.lock('slow', async () => 'never')).rejects.toMatchObject({ name: 'AuthError', code: 'network_error', message: expect.stringMatching(/no lock/) });
    release();
    await held;
  });
});

describe('two BFF instances sharing Redis (refresh-token rotation on)', () => {
  it('concurrent requests on both instances: exactly one refresh, every request answered', async () => {
    const a = bffFor(idp, { store: redisStore({ client: await connect() }) });
    const b = bffFor(idp, { store: redisStore({ client: await connect() }) });
    const user = new AppBrowser(a);
    await signInDue(idp, user);
    // The cookie holds only an id: the tokens stay in Redis.
    expect(user.jar.get('cognito-session.0')!.length).toBeLessThan(400);
    expect(user.jar.has('cognito-session.1')).toBe(false);

    const before = tokenRequests(idp);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => user.call('/auth/session', {}, i % 2 ? b : a)));
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(200));
    const users = await Promise.all(answers.map(async (r) => ((await body(r)).user as { principal: string; expiresAt: number })));
    expect(new Set(users.map((u) => `${u.principal} ${u.expiresAt}`)).size).toBe(1);
    expect(users[0]!.expiresAt - Date.now() / 1000).toBeGreaterThan(3000);
    expect(tokenRequests(idp) - before).toBe(1);
    expect(answers.flatMap((r) => r.headers.getSetCookie())).toEqual([]); // nothing for the browser to update

    // The rotated refresh token works on: a forced renew on the other instance succeeds.
    const forced = await user.call('/auth/token?forceRefresh=1', {}, bffFor(idp, { store: redisStore({ client: await connect() }), exposeAccessToken: true }));
    expect(forced.status).toBe(200);
    expect(tokenRequests(idp) - before).toBe(2);
  });

  it('a sign-out on one instance ends the session everywhere', async () => {
    const store = redisStore({ client: await connect() });
    const a = bffFor(idp, { store });
    const b = bffFor(idp, { store: redisStore({ client: await connect() }) });
    const user = new AppBrowser(a);
    await user.signIn();
    const cookie = user.cookieHeader();
    expect((await user.call('/auth/session', {}, b)).status).toBe(200);
    expect((await user.call('/auth/logout', { method: 'POST' }, b)).status).toBe(200);
    expect((await user.call('/auth/session', { headers: { cookie } }, a)).status).toBe(401);
  });
});
