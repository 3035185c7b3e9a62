import { useState, type ReactNode } from 'react';
import { RequireAuth, useAuth } from 'cognito-spa-auth/react';

function Header(): ReactNode {
  const { status, user, error, signIn, signOut } = useAuth();
  return (
    <header>
      <p>
        Status: <b id="status">{status}</b>
        {user && <> · signed in as <b id="principal">{user.principal}</b>{user.isAdmin && ' (admin)'}</>}
      </p>
      {error && <p role="alert">{error.code}: {error.message}</p>}
      {status === 'authenticated' ? (
        <button onClick={() => void signOut()}>Sign out</button>
      ) : (
        <button onClick={() => void signIn({ returnTo: '/profile' })}>Sign in</button>
      )}
    </header>
  );
}

function Profile(): ReactNode {
  const { user, getAccessToken } = useAuth();
  const [token, setToken] = useState('');
  if (!user) return null;
  return (
    <section>
      <h2>{user.attributes.name ?? user.principal}</h2>
      <p>Email: {user.email} · groups: {user.groups.join(', ') || 'none'}</p>
      <p>Access token valid until {new Date(user.expiresAt * 1000).toLocaleTimeString()}</p>
      <button onClick={() => void getAccessToken().then((t) => setToken(`${t.slice(0, 24)}…`))}>Get access token</button>
      {token && <code id="token">{token}</code>}
    </section>
  );
}

export function App({ path }: { path: string }): ReactNode {
  return (
    <main>
      <h1>cognito-spa-auth · React</h1>
      <Header />
      {path === '/profile' ? (
        <RequireAuth fallback={<p>Signing you in…</p>}>
          <Profile />
        </RequireAuth>
      ) : (
        <p>
          Public page. <a href="/profile">Your profile</a> requires sign-in (users: alice, bob, mallory; password
          <code> Password1!</code>).
        </p>
      )}
    </main>
  );
}
