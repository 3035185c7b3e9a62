import { act, render, screen } from '@testing-library/react';
import { expect, it } from 'vitest';
import { CognitoAuthProvider, RequireAuth, useAuth } from 'cognito-spa-auth/react';
import { createTestAuth } from 'cognito-spa-auth/testing';

function Profile() {
  const { user, signOut } = useAuth();
  return (
    <p>
      {user?.principal} ({user?.groups.join(', ')}) <button onClick={() => signOut()}>Sign out</button>
    </p>
  );
}

const app = (auth = createTestAuth()) => (
  <CognitoAuthProvider auth={auth}>
    <RequireAuth fallback={<p>Signing you in…</p>}>
      <Profile />
    </RequireAuth>
  </CognitoAuthProvider>
);

it('shows the signed-in user, and the signed-out state after signing out', async () => {
  const auth = createTestAuth({ user: { principal: 'alice', groups: ['admins'] } });
  render(app(auth));
  expect(screen.getByText(/alice \(admins\)/)).toBeTruthy();
  await act(() => screen.getByText('Sign out').click());
  expect(screen.getByText(/You have signed out/)).toBeTruthy();
  expect(auth.callsTo('signOut')).toHaveLength(1);
});

it('sends a signed-out visitor to sign-in, and shows the page once they are back', async () => {
  const auth = createTestAuth();
  render(app(auth));
  expect(screen.getByText('Signing you in…')).toBeTruthy();
  expect(auth.callsTo('signIn')).toHaveLength(1);
  act(() => void auth.signInAs('bob'));
  expect(screen.getByText(/bob/)).toBeTruthy();
  act(() => auth.expire()); // the session ran past sessionExpiry
  expect(screen.queryByText(/bob/)).toBeNull();
});
