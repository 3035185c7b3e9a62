import { describe, expect, it, vi } from 'vitest';
import type { AuthState } from '../../src/index.js';
import { createTestApp } from '../support/app.js';

/** Wait until `auth`'s state satisfies `ok` (cross-tab messages arrive asynchronously). */
const until = (auth: { getState(): AuthState }, ok: (s: AuthState) => boolean) => vi.waitFor(() => expect(ok(auth.getState())).toBe(true), { timeout: 3000 });

describe("cross-tab sync with storage: 'local'", () => {
  it('sign-in, renew and sign-out in one tab show in the other without a reload', async () => {
    const app = await createTestApp({ storage: 'local' });
    const other = app.another({ storage: 'local' });
    await other.init();
    expect(other.getState().status).toBe('unauthenticated');

    await app.signInAs();
    await until(other, (s) => s.status === 'authenticated');
    expect(other.getUser()?.principal).toBe('alice');

    const renewed: number[] = [];
    other.on('tokensRenewed', (e) => renewed.push(e.expiresAt));
    const fresh = await app.auth.getAccessToken({ forceRefresh: true });
    await vi.waitFor(() => expect(renewed).toHaveLength(1));
    expect(await other.getAccessToken()).toBe(fresh);
    expect(app.cognito.pool.counts.refresh).toBe(1);

    const reasons: string[] = [];
    other.on('signedOut', (e) => reasons.push(e.reason));
    await app.auth.signOut();
    await until(other, (s) => s.status === 'unauthenticated');
    expect(reasons).toEqual(['other_tab']);
    await expect(other.getAccessToken()).rejects.toMatchObject({ code: 'login_required' });
  });

  it('a refused refresh token is sent once, not once per tab', async () => {
    const app = await createTestApp({ storage: 'local', silentRenew: false });
    await app.signInAs();
    window.happyDOM?.setURL('https://app.example.com/');
    const other = app.another({ storage: 'local', silentRenew: false });
    await other.init();
    for (const g of app.cognito.pool.refresh.values()) g.alive = false; // revoked, or expired
    const results = await Promise.allSettled([app.auth.getAccessToken({ forceRefresh: true }), other.getAccessToken({ forceRefresh: true })]);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as { code: string }).code)).toEqual(['login_required', 'login_required']);
    expect(app.cognito.pool.counts.refresh).toBe(1);
    expect(app.auth.getState().status).toBe('unauthenticated');
    expect(other.getState().status).toBe('unauthenticated');
  });

  it("with storage: 'session' each tab keeps its own session", async () => {
    const app = await createTestApp();
    const other = app.another();
    await other.init();
    await app.signInAs();
    await new Promise((r) => setTimeout(r, 100));
    expect(other.getState().status).toBe('unauthenticated');
  });
});
