import { StrictMode, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createCognitoAuth } from 'cognito-spa-auth';
import { CognitoAuthProvider } from 'cognito-spa-auth/react';
import { App } from './App.js';

const auth = createCognitoAuth({
  ...__LOCAL_POOL__, // authority, domain, clientId, callbackUrl of the local user pool
  adminPrincipals: ['alice'],
  jwtPrincipalClaimsMapping: ['name:name'],
  debug: true,
});

/** The page path is the demo's whole router; after sign-in it becomes the page sign-in started from. */
function Root(): ReactNode {
  const [path, setPath] = useState(location.pathname);
  const onCallback = ({ returnTo }: { returnTo: string }): void => {
    history.replaceState(null, '', returnTo);
    setPath(location.pathname);
  };
  return (
    <CognitoAuthProvider auth={auth} onCallback={onCallback}>
      <App path={path} />
    </CognitoAuthProvider>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
