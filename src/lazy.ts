import { AuthError } from './errors.js';

/**
 * A part of the SDK loaded on first use (a chunk of its own): one load shared by every caller;
 * a chunk that fails to load (offline, a new deploy) is `network_error` and is tried again next time.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () =>
    (p ??= load().catch((cause: unknown) => {
      p = null;
      throw new AuthError('network_error', 'a part of the SDK could not be loaded', { cause });
    }));
}
