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
