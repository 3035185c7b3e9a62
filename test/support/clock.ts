/**
 * A fake wall clock for renew tests: timers and Date are faked (and still advance with real time),
 * and `later(seconds)` lets fake time pass in 1 s steps, giving real I/O (msw, WebCrypto) a few
 * real milliseconds at each step.
 */
import { afterEach, beforeEach, vi } from 'vitest';

/** The real setTimeout, for waits that must pass in real time while the clock is fake. */
export const realSetTimeout = globalThis.setTimeout;

/** Fake setTimeout, clearTimeout and Date in every test of the calling file. */
export function useFakeClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => vi.useRealTimers());
}

/** Let `seconds` of fake time pass. */
export async function later(seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    await vi.advanceTimersByTimeAsync(1000);
    await new Promise((r) => realSetTimeout(r, 2));
  }
}
