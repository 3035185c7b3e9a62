import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));
/** The package's entries by name, from the sources (examples/ import the package as an app does). */
const packageFromSources = [
  { find: /^cognito-spa-auth$/, replacement: src('index.ts') },
  { find: /^cognito-spa-auth\/react$/, replacement: src('react/index.tsx') },
  { find: /^cognito-spa-auth\/vue$/, replacement: src('vue/index.ts') },
  { find: /^cognito-spa-auth\/testing$/, replacement: src('testing/index.ts') },
];

// Two kinds of tests: browser-like unit and flow tests (happy-dom + msw), and node tests
// that start real servers on 127.0.0.1 (the local IdP, Chromium end-to-end, size budget).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'happy-dom',
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/flows/**/*.test.{ts,tsx}', 'test/adapters/**/*.test.{ts,tsx}', 'test/hardening/**/*.test.ts', 'test/testing/**/*.test.{ts,tsx}', 'examples/testing/*.test.{ts,tsx}'],
          setupFiles: ['test/support/setup.ts'],
          // RSA key generation and signing make some tests take seconds on a loaded 2-core machine.
          testTimeout: 15_000,
        },
        resolve: { alias: packageFromSources },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/idp/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/size/**/*.test.ts', 'test/package/**/*.test.ts', 'test/server/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
