import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createCognitoAuth } from 'cognito-spa-auth';
import { CognitoAuthProvider, RequireAuth, useAuth } from 'cognito-spa-auth/react';

const auth = createCognitoAuth({
  authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF',
  clientId: '1a2b3c4d5e6f7g8h9i0j1k2l3m',
  callbackUrl: `${location.origin}/callback`,
  domain: 'https://my-app.auth.us-east-1.amazoncognito.com',
});

function App() {
  const { user, signOut } = useAuth();
  return (
    <main>
      <p id="status">Signed in as {user?.principal}</p>
      <p>Groups: {user?.groups.join(', ') || 'none'}</p>
      <button onClick={() => signOut()}>Sign out</button>
    </main>
  );
}

// The provider calls auth.init(): on the callback URL it completes the sign-in and goes back to
// the page sign-in started from. RequireAuth sends a visitor who is not signed in to the hosted
// UI, and after their own sign-out shows "You have signed out." with a Sign in button.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CognitoAuthProvider auth={auth}>
      <RequireAuth fallback={<p>Signing you in…</p>}>
        <App />
      </RequireAuth>
    </CognitoAuthProvider>
  </StrictMode>,
);
