import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/** One msw server for the unit project; tests add their pool's handlers with `server.use`. */
export const server = setupServer();

/** Things to stop after each test (clients' timers and listeners). */
export const cleanups: Array<() => void> = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  if (typeof window === 'undefined') return; // a test file that runs in node (SSR)
  sessionStorage.clear();
  localStorage.clear();
  window.happyDOM?.setURL('https://app.example.com/');
});
afterEach(() => {
  for (const stop of cleanups.splice(0)) stop();
  server.resetHandlers();
});
afterAll(() => server.close());
