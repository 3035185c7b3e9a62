import { StrictMode, type ReactNode } from 'react';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthError, type CallbackResult } from '../../src/index.js';
import { CognitoAuthProvider, RequireAuth, useAuth } from '../../src/react/index.js';
import { createTestAuth } from '../../src/testing/index.js';
import { ALICE } from '../support/cognito.js';
import { baseConfig, createTestApp } from '../support/app.js';
import { createIdentityPool, IDENTITY_POOL_ID } from '../support/identity.js';
import { server } from '../support/setup.js';

afterEach(cleanup);

function Status(): ReactNode {
  const { status, user, error, isAuthenticated, signIn, signOut } = useAuth();
  return (
    <div>
      <p data-testid="status">{status}</p>
      {isAuthenticated && <p>Hello {user?.principal}</p>}
      {error && <p role="alert">{`${error.code}: ${error.message}`}</p>}
      <button onClick={() => void signIn({ returnTo: '/after' })}>Sign in</button>
      <button onClick={() => void signOut()}>Sign out</button>
    </div>
  );
}

const status = (): string | null => screen.getByTestId('status').textContent;
const authorizeUrls = (navigations: string[]): string[] => navigations.filter((u) => u.includes('/oauth2/authorize'));

describe('React adapter', () => {
  it('shows loading, then the signed-in user after the callback, and returns to returnTo', async () => {
    const app = await createTestApp();
    await app.reachCallback(ALICE, { returnTo: '/reports?id=7' });
    render(<CognitoAuthProvider auth={app.another()}><Status /></CognitoAuthProvider>);
    expect(status()).toBe('loading');
    expect(await screen.findByText('Hello alice')).toBeTruthy();
    expect(status()).toBe('authenticated');
    expect(location.pathname + location.search).toBe('/reports?id=7');
    expect(app.cognito.pool.counts.token).toBe(1);
  });

  it('handles the callback once under StrictMode, with a client made from config', async () => {
    const app = await createTestApp();
    await app.reachCallback(ALICE, { returnTo: '/reports', appState: { tab: 2 } });
    const onCallback = vi.fn<(r: CallbackResult) => void>();
    const config = { ...baseConfig, navigate: (u: string) => void app.navigations.push(u) };
    render(
      <StrictMode>
        <CognitoAuthProvider config={config} onCallback={onCallback}><Status /></CognitoAuthProvider>
      </StrictMode>,
    );
    expect(await screen.findByText('Hello alice')).toBeTruthy();
    expect(app.cognito.pool.counts.token).toBe(1);
    expect(onCallback).toHaveBeenCalledTimes(1);
    expect(onCallback.mock.calls[0]?.[0].returnTo).toBe('/reports');
    expect(onCallback.mock.calls[0]?.[0].appState).toEqual({ tab: 2 });
    expect(location.pathname).toBe('/callback'); // onCallback replaced the default
  });

  it('calls init() and handles the callback once under StrictMode, without relying on the core', async () => {
    const app = await createTestApp();
    await app.reachCallback();
    const client = app.another();
    const init = vi.spyOn(client, 'init');
    render(
      <StrictMode>
        <CognitoAuthProvider auth={client}><Status /></CognitoAuthProvider>
        <CognitoAuthProvider auth={client}><p>second provider</p></CognitoAuthProvider>
      </StrictMode>,
    );
    expect(await screen.findByText('Hello alice')).toBeTruthy();
    expect(init).toHaveBeenCalledTimes(1);
    expect(app.cognito.pool.counts.token).toBe(1);
  });

  it('signs in and out through the actions', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    window.happyDOM?.setURL('https://app.example.com/');
    render(<CognitoAuthProvider auth={app.another()}><Status /></CognitoAuthProvider>);
    expect(await screen.findByText('Hello alice')).toBeTruthy(); // restored from storage
    await act(async () => void fireEvent.click(screen.getByText('Sign out')));
    await vi.waitFor(() => expect(status()).toBe('unauthenticated'));
    expect(app.navigations.at(-1)).toMatch(/\/logout\?client_id=/);
    expect(app.cognito.pool.counts.revoke).toBe(1);
    await act(async () => void fireEvent.click(screen.getByText('Sign in')));
    await vi.waitFor(() => expect(app.navigations.at(-1)).toMatch(/\/oauth2\/authorize\?/));
  });

  it("renders the AuthError of a callback that carries Cognito's error", async () => {
    const app = await createTestApp();
    await app.auth.signIn();
    const state = new URL(app.navigations[0] as string).searchParams.get('state') as string;
    window.happyDOM?.setURL(`https://app.example.com/callback?error=access_denied&error_description=User+is+disabled&state=${state}`);
    render(<CognitoAuthProvider auth={app.another()}><Status /></CognitoAuthProvider>);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^idp_error: .*access_denied.*User is disabled/);
    expect(status()).toBe('error');
    expect(app.cognito.pool.counts.token).toBe(0);
  });

  it('useAuth() gives AWS credentials and the identity id of the identity pool', async () => {
    const app = await createTestApp({ identityPoolId: IDENTITY_POOL_ID });
    const identity = createIdentityPool(app.cognito);
    server.use(...identity.handlers);
    await app.signInAs(ALICE);
    window.happyDOM?.setURL('https://app.example.com/');
    function Aws(): ReactNode {
      const { getAwsCredentials, getIdentityId } = useAuth();
      return (
        <button
          onClick={async () => {
            const [c, id] = await Promise.all([getAwsCredentials(), getIdentityId()]);
            document.title = `${id === c.identityId ? c.identityId : 'mismatch'} ${c.expiration instanceof Date}`;
          }}
        >
          AWS
        </button>
      );
    }
    render(<CognitoAuthProvider auth={app.another({ identityPoolId: IDENTITY_POOL_ID })}><Aws /></CognitoAuthProvider>);
    await act(async () => void fireEvent.click(screen.getByText('AWS')));
    await vi.waitFor(() => expect(document.title).toMatch(/^us-east-1:\S+ true$/));
    expect(identity.pool.counts).toEqual({ getId: 1, credentials: 1 });
  });

  it('useAuth outside a provider throws an invalid_config AuthError', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let thrown: unknown;
    try {
      render(<Status />);
    } catch (e) {
      thrown = e;
    }
    quiet.mockRestore();
    expect(thrown).toBeInstanceOf(AuthError);
    expect((thrown as AuthError).code).toBe('invalid_config');
    expect((thrown as AuthError).message).toContain('CognitoAuthProvider');
  });

  describe('RequireAuth', () => {
    it('redirects to sign-in once when unauthenticated (StrictMode), showing the fallback', async () => {
      const app = await createTestApp();
      window.happyDOM?.setURL('https://app.example.com/admin?tab=2');
      render(
        <StrictMode>
          <CognitoAuthProvider auth={app.auth}>
            <RequireAuth fallback={<p>Redirecting…</p>} signInOptions={{ lang: 'fr' }}><p>Secret</p></RequireAuth>
          </CognitoAuthProvider>
        </StrictMode>,
      );
      expect(screen.getByText('Redirecting…')).toBeTruthy();
      await vi.waitFor(() => expect(authorizeUrls(app.navigations)).toHaveLength(1));
      await new Promise((r) => setTimeout(r, 20));
      expect(authorizeUrls(app.navigations)).toHaveLength(1);
      expect(new URL(app.navigations[0] as string).searchParams.get('lang')).toBe('fr');
      expect(screen.queryByText('Secret')).toBeNull();
      // Coming back, the sign-in returns to where it started.
      const callback = app.cognito.authorize(app.navigations[0] as string);
      window.happyDOM?.setURL(callback);
      expect((await app.another().handleCallback()).returnTo).toBe('/admin?tab=2');
    });

    it('does not race sign-out with a sign-in redirect', async () => {
      const app = await createTestApp();
      await app.signInAs(ALICE);
      window.happyDOM?.setURL('https://app.example.com/admin');
      render(
        <CognitoAuthProvider auth={app.another()}>
          <Status />
          <RequireAuth fallback={<p>Redirecting…</p>}><p>Secret</p></RequireAuth>
        </CognitoAuthProvider>,
      );
      expect(await screen.findByText('Secret')).toBeTruthy();
      await act(async () => void fireEvent.click(screen.getByText('Sign out')));
      await vi.waitFor(() => expect(app.navigations.at(-1)).toMatch(/\/logout\?/));
      await new Promise((r) => setTimeout(r, 50));
      expect(app.navigations.at(-1)).toMatch(/\/logout\?/);
      expect(authorizeUrls(app.navigations)).toHaveLength(1); // only the sign-in before
    });

    it("after the user's own sign-out shows the signed-out state, not a sign-in redirect (unless asked)", async () => {
      const app = await createTestApp();
      await app.signInAs(ALICE);
      await app.auth.signOut(); // Cognito's /logout then brings the browser back: a new page
      const before = app.navigations.length;
      window.happyDOM?.setURL('https://app.example.com/');
      render(
        <CognitoAuthProvider auth={app.another()}>
          <RequireAuth fallback={<p>Signing you in…</p>}><p>Secret</p></RequireAuth>
        </CognitoAuthProvider>,
      );
      expect(await screen.findByText(/You have signed out/)).toBeTruthy();
      await new Promise((r) => setTimeout(r, 20));
      expect(app.navigations).toHaveLength(before);
      // Its button signs in again.
      await act(async () => void fireEvent.click(screen.getByText('Sign in')));
      await vi.waitFor(() => expect(authorizeUrls(app.navigations)).toHaveLength(2));
      cleanup();

      await app.another().signOut();
      render(
        <CognitoAuthProvider auth={app.another()}>
          <RequireAuth signedOutFallback={<p>Bye</p>}><p>Secret</p></RequireAuth>
          <RequireAuth signInAfterSignOut><p>Secret</p></RequireAuth>
        </CognitoAuthProvider>,
      );
      expect(await screen.findByText('Bye')).toBeTruthy();
      await vi.waitFor(() => expect(authorizeUrls(app.navigations)).toHaveLength(3)); // the second one asked
    });

    it('with redirect={false} renders the fallback and does not navigate', async () => {
      const app = await createTestApp();
      render(
        <CognitoAuthProvider auth={app.auth}>
          <RequireAuth redirect={false} fallback={<p>Please sign in</p>}><p>Secret</p></RequireAuth>
        </CognitoAuthProvider>,
      );
      expect(await screen.findByText('Please sign in')).toBeTruthy();
      await new Promise((r) => setTimeout(r, 20));
      expect(app.navigations).toEqual([]);
    });

    it('renders the children when signed in, and errorFallback on error without redirecting', async () => {
      const app = await createTestApp();
      await app.reachCallback();
      render(
        <CognitoAuthProvider auth={app.another()}>
          <RequireAuth fallback={<p>Loading</p>}><p>Secret</p></RequireAuth>
        </CognitoAuthProvider>,
      );
      expect(await screen.findByText('Secret')).toBeTruthy();
      cleanup();

      const broken = await createTestApp();
      const url = new URL(await broken.reachCallback());
      url.searchParams.set('code', 'not-a-code');
      window.happyDOM?.setURL(url.href);
      render(
        <CognitoAuthProvider auth={broken.another()}>
          <RequireAuth errorFallback={(e) => <p>Failed: {e.code}</p>}><p>Secret</p></RequireAuth>
        </CognitoAuthProvider>,
      );
      expect(await screen.findByText('Failed: token_request_failed')).toBeTruthy();
      expect(authorizeUrls(broken.navigations)).toHaveLength(1); // only the one reachCallback made
    });
  });

  describe('in each auth state (driven by the test kit)', () => {
    it('RequireAuth follows loading, signed in, renewed, expired and error', async () => {
      const auth = createTestAuth({ status: 'loading' });
      render(
        <CognitoAuthProvider auth={auth}>
          <Status />
          <RequireAuth fallback={<p>Loading</p>} errorFallback={(e) => <p>Failed: {e.code}</p>} redirect={false}><p>Secret</p></RequireAuth>
        </CognitoAuthProvider>,
      );
      expect(screen.getByText('Loading')).toBeTruthy();
      act(() => void auth.signInAs('alice'));
      expect(screen.getByText('Secret')).toBeTruthy();
      expect(screen.getByText('Hello alice')).toBeTruthy();
      act(() => auth.renew());
      expect(screen.getByText('Secret')).toBeTruthy();
      act(() => auth.expire());
      expect(screen.getByText('Loading')).toBeTruthy(); // redirect={false}: the fallback, no sign-in
      expect(screen.getByRole('alert').textContent).toMatch(/^session_expired/);
      act(() => auth.fail(new AuthError('idp_error', 'denied')));
      expect(screen.getByText('Failed: idp_error')).toBeTruthy();
      expect(auth.callsTo('signIn')).toEqual([]);
      await Promise.resolve();
      expect(auth.callsTo('init')).toHaveLength(1);
    });

    it('onCallback gets returnTo and appState from init()', async () => {
      const auth = createTestAuth({ user: 'bob', callback: { returnTo: '/reports', appState: { tab: 2 } } });
      const onCallback = vi.fn<(r: CallbackResult) => void>();
      render(<CognitoAuthProvider auth={auth} onCallback={onCallback}><Status /></CognitoAuthProvider>);
      await vi.waitFor(() => expect(onCallback).toHaveBeenCalledTimes(1));
      expect(onCallback.mock.calls[0]?.[0]).toMatchObject({ returnTo: '/reports', appState: { tab: 2 } });
      expect(screen.getByText('Hello bob')).toBeTruthy();
    });
  });
});
