import type { SessionStore } from '../types.js';

/**
 * Sessions in this process's memory: for one server instance that wants the session cookie to
 * hold only an id (several instances need a shared store such as {@link redisStore}).
 *
 * @example
 * const bff = createCognitoBff({ ...config, store: memoryStore() });
 */
export function memoryStore(): SessionStore {
  const data = new Map<string, { value: string; until: number }>();
  const locks = new Map<string, Promise<unknown>>();
  let writes = 0;
  const sweep = (): void => {
    const now = Date.now();
    for (const [k, e] of data) if (e.until <= now) data.delete(k);
  };
  return {
    async get(key) {
      const e = data.get(key);
      if (e && e.until > Date.now()) return e.value;
      data.delete(key);
      return null;
    },
    async set(key, value, ttlSeconds) {
      if (++writes % 100 === 0) sweep(); // expired sessions don't pile up
      data.set(key, { value, until: Date.now() + ttlSeconds * 1000 });
    },
    async delete(key) {
      data.delete(key);
    },
    /** One holder per key at a time, in the order they asked. */
    async lock(key, fn) {
      const before = locks.get(key) ?? Promise.resolve();
      const run = before.then(fn, fn);
      const settled = run.then(() => undefined, () => undefined);
      locks.set(key, settled);
      try {
        return await run;
      } finally {
        if (locks.get(key) === settled) locks.delete(key);
      }
    },
  };
}
