// Size of the BFF's browser client (cognito-spa-auth/bff), gzip -9, as an app bundles it from the
// built package (`npm test` builds first) with the bench's own builder. Bytes are deterministic.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { buildApp, distDir } from '../../bench/bundle.mjs';

const BUDGET = 2_000;
const app = fileURLToPath(new URL('./fixtures/bff-app.mjs', import.meta.url));
const fromDist = { name: 'bff-from-dist', resolveId: (id: string) => (id === 'cognito-spa-auth/bff' ? join(distDir, 'bff.mjs') : null) };

describe('cognito-spa-auth/bff size (gzip -9)', () => {
  it(`the client with what it takes from the core: <= ${BUDGET} bytes, one chunk, none of the browser-only SDK`, async () => {
    const built = await buildApp(app, { before: [fromDist] });
    const bytes = built.all.sizes.gzip;
    expect(bytes, `cognito-spa-auth/bff: ${bytes} B gzip`).toBeLessThanOrEqual(BUDGET);
    expect(bytes).toBeGreaterThan(800); // a broken build must not pass by accident
    expect(built.chunks).toHaveLength(1); // no lazy engine: nothing of the sign-in code, jose or oidc-client-ts
  });
});
