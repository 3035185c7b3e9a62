import { AuthError } from '../../errors.js';
import type { SessionStore } from '../types.js';

/**
 * A connected Redis client: node-redis (`redis` package, v4 and later: `sendCommand`) or
 * ioredis (`call`). Only raw commands are used, so no version's option shapes matter.
 */
export type RedisClientLike =
  | { sendCommand(args: string[]): Promise<unknown> }
  | { call(command: string, ...args: string[]): Promise<unknown> };

export interface RedisStoreOptions {
  client: RedisClientLike;
  /** Prefix of every key (default `cognito-spa-auth:`), to share a database with other data. */
  prefix?: string;
  /** How long a lock holder may keep the lock before it lapses (default 30 000 ms: a refresh, keys included). */
  lockLeaseMs?: number;
  /** How long to wait for a lock before giving up (default 15 000 ms). */
  lockWaitMs?: number;
}

// Delete the lock only when it is still ours (a lapsed lease may have passed to another holder).
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Sessions in Redis, shared by every server instance, with a lock per session so that one
 * refresh serves concurrent requests on all of them (refresh-token rotation safe). Takes a
 * client the app created and connected; the package has no dependency on any Redis client.
 *
 * @example
 * import { createClient } from 'redis';
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const bff = createCognitoBff({ ...config, store: redisStore({ client }) });
 */
export function redisStore(options: RedisStoreOptions): SessionStore {
  const { client, prefix = 'cognito-spa-auth:', lockLeaseMs = 30_000, lockWaitMs = 15_000 } = options ?? ({} as RedisStoreOptions);
  if (!client || (typeof (client as { sendCommand?: unknown }).sendCommand !== 'function' && typeof (client as { call?: unknown }).call !== 'function')) {
    throw new AuthError('invalid_config', 'redisStore({ client }): a connected node-redis or ioredis client is expected');
  }
  for (const [name, ms] of Object.entries({ lockLeaseMs, lockWaitMs })) {
    if (!Number.isSafeInteger(ms) || ms <= 0) throw new AuthError('invalid_config', `redisStore: ${name} must be a positive number of milliseconds`);
  }
  const send = (args: string[]): Promise<unknown> =>
    'sendCommand' in client ? client.sendCommand(args) : client.call(args[0] as string, ...args.slice(1));
  const k = (key: string): string => `${prefix}${key}`;

  return {
    async get(key) {
      const v = await send(['GET', k(key)]);
      return typeof v === 'string' ? v : v == null ? null : String(v);
    },
    async set(key, value, ttlSeconds) {
      await send(['SET', k(key), value, 'EX', String(Math.max(1, Math.ceil(ttlSeconds)))]);
    },
    async delete(key) {
      await send(['DEL', k(key)]);
    },
    async lock(key, fn) {
      const name = k(`lock:${key}`);
      const token = crypto.randomUUID();
      const deadline = Date.now() + lockWaitMs;
      while ((await send(['SET', name, token, 'PX', String(lockLeaseMs), 'NX'])) == null) {
        // Transient (another holder is slow, or its lease has yet to lapse): never a sign-out.
        if (Date.now() > deadline) throw new AuthError('network_error', `no lock on ${key} within ${lockWaitMs} ms`);
        await sleep(20 + Math.random() * 30);
      }
      try {
        return await fn();
      } finally {
        await send(['EVAL', RELEASE, '1', name, token]).catch(() => undefined); // else it lapses with its lease
      }
    },
  };
}
