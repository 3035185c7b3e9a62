import type { ReactNode } from 'react';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CognitoAuthProvider, RequireAuth, useAuth } from '../../src/react/index.js';
import { ALICE, DOMAIN } from '../support/cognito.js';
import { createTestApp } from '../support/app.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function Features(): ReactNode {
  const { signInWithPopup, signUp, forgotPassword, switchAccount, fetchUserInfo, error } = useAuth();
  return (
    <div>
      <button onClick={() => void signInWithPopup().catch(() => undefined)}>Popup</button>
      <button onClick={() => void signUp({ returnTo: '/welcome' })}>Sign up</button>
      <button onClick={() => void forgotPassword()}>Forgot</button>
      <button onClick={() => void switchAccount()}>Switch</button>
      <button onClick={() => void fetchUserInfo().catch(() => undefined)}>Info</button>
      {error && <p role="alert">{error.code}</p>}
    </div>
  );
}

describe('React adapter: popup, links, userInfo, idle', { timeout: 20_000 }, () => {
  it('useAuth() reaches signInWithPopup (opened inside the click), signUp, forgotPassword and switchAccount', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    window.happyDOM?.setURL('https://app.example.com/');
    render(<CognitoAuthProvider auth={app.another()}><Features /></CognitoAuthProvider>);
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    fireEvent.click(screen.getByText('Popup'));
    expect(open).toHaveBeenCalledTimes(1); // synchronously, in the click
    for (const [button, path] of [['Sign up', '/signup'], ['Forgot', '/forgotPassword'], ['Switch', '/logout']] as const) {
      await act(async () => void fireEvent.click(screen.getByText(button)));
      await vi.waitFor(() => expect(app.navigations.at(-1)).toMatch(new RegExp(`^${DOMAIN}${path}\\?`)));
    }
    expect(app.cognito.pool.counts.revoke).toBe(1); // switchAccount signed out first
  });

  it('RequireAuth does not race the idle sign-out with a sign-in redirect', async () => {
    const app = await createTestApp({ idleTimeout: 1 });
    await app.signInAs(ALICE);
    window.happyDOM?.setURL('https://app.example.com/admin');
    render(
      <CognitoAuthProvider auth={app.another()}>
        <RequireAuth fallback={<p>Redirecting…</p>}><p>Secret</p></RequireAuth>
      </CognitoAuthProvider>,
    );
    expect(await screen.findByText('Secret')).toBeTruthy();
    await vi.waitFor(() => expect(app.navigations.at(-1)).toMatch(/\/logout\?/), { timeout: 5_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(app.navigations.at(-1)).toMatch(/\/logout\?/);
    expect(app.navigations.filter((u) => u.includes('/oauth2/authorize'))).toHaveLength(1); // the first sign-in only
  });
});
