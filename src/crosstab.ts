import type { SessionRecord } from './store.js';

/** What one tab tells the others of the same app client. */
export type TabMessage = { t: 'session'; record: SessionRecord } | { t: 'signedOut' };

/** A BroadcastChannel for this client, or a no-op where the browser has none. */
export function openChannel(name: string, onMessage: (m: TabMessage) => void): { post(m: TabMessage): void; close(): void } {
  if (typeof BroadcastChannel === 'undefined') return { post: () => undefined, close: () => undefined };
  const ch = new BroadcastChannel(name);
  (ch as { unref?: () => void }).unref?.(); // Node (SSR, tests): never keep the process alive
  ch.onmessage = (e: MessageEvent<TabMessage>) => {
    const m = e.data;
    if (m && (m.t === 'signedOut' || (m.t === 'session' && m.record && typeof m.record === 'object'))) onMessage(m);
  };
  return { post: (m) => ch.postMessage(m), close: () => ch.close() };
}

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
