import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/** One msw server for the unit project; tests add their pool's handlers with `server.use`. */
export const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  if (typeof window === 'undefined') return; // a test file that runs in node (SSR)
  sessionStorage.clear();
  localStorage.clear();
  window.happyDOM?.setURL('https://app.example.com/');
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
