/**
 * The cross-tab lock that serialises refreshes (and other one-request-for-every-tab work): only
 * lazily loaded code takes it, so it is not in the initial chunk.
 */
interface LockManagerLike {
  request<T>(name: string, cb: () => Promise<T>): Promise<T>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Run `fn` while holding a lock shared by every tab of this origin: a Web Lock where the
 * browser has them, else a lease in localStorage (best effort, expires after `leaseMs`).
 */
export async function withTabLock<T>(name: string, fn: () => Promise<T>, leaseMs = 15_000): Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (locks && typeof locks.request === 'function') return locks.request(name, fn);
  let ls: Storage | undefined;
  try {
    ls = globalThis.localStorage;
  } catch {
    ls = undefined;
  }
  if (!ls) return fn();
  const me = Math.random().toString(36).slice(2);
  const deadline = Date.now() + leaseMs;
  for (;;) {
    const [owner, until] = (ls.getItem(name) ?? '').split('|');
    if (!owner || Number(until) < Date.now() || Date.now() > deadline) {
      ls.setItem(name, `${me}|${Date.now() + leaseMs}`);
      await sleep(20); // let a concurrent writer win or lose visibly
      if (ls.getItem(name)?.startsWith(me)) break;
    }
    await sleep(50 + Math.random() * 50);
  }
  try {
    return await fn();
  } finally {
    if (ls.getItem(name)?.startsWith(me)) ls.removeItem(name);
  }
}
