// Consumer app: @auth0/auth0-spa-js.
import { createAuth0Client } from '@auth0/auth0-spa-js';

const out = document.querySelector('#out');

async function main() {
  const auth0 = await createAuth0Client({
    domain: 'example.us.auth0.com',
    clientId: 'exampleclientid',
    authorizationParams: { redirect_uri: `${location.origin}/callback` },
  });
  if (location.pathname === '/callback') {
    await auth0.handleRedirectCallback();
    history.replaceState(null, '', '/');
  }
  const user = await auth0.getUser();
  if (!user) {
    document.querySelector('#sign-in').onclick = () => auth0.loginWithRedirect();
    return;
  }
  out.textContent = user.email ?? user.sub;
  const token = await auth0.getTokenSilently();
  const res = await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } });
  out.textContent += ` ${res.status}`;
  document.querySelector('#sign-out').onclick = () =>
    auth0.logout({ logoutParams: { returnTo: location.origin } });
}

main().catch((error) => {
  out.textContent = String(error);
});
