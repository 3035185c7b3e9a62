// OpenMetadata's user rules in real Chromium against the local pool: a user OpenMetadata's server
// would refuse is refused in the browser too, and nothing is kept.
import { describe, expect, it } from 'vitest';

import { demoPerTest, signIn, text, waitForStatus } from './browser.js';

const start = demoPerTest();

describe("OpenMetadata's user rules in Chromium", () => {
  it('refuses the federated Google user whose email_verified is false, with email_not_verified, and keeps nothing', async () => {
    const { demo, b } = await start();
    const { page } = b;
    await signIn(page, demo, 'carol@example.com', 'error');
    expect(await page.locator('[data-testid="error"] .code').textContent()).toBe('email_not_verified');
    expect(await text(page, 'error')).toMatch(/carol@example\.com.*email_verified/);
    expect(await page.getByTestId('principal').isVisible()).toBe(false);
    await page.reload();
    await waitForStatus(page, 'unauthenticated');
  });
});
