// Consumer app: oidc-client-ts alone (no ID-token signature check of its own).
import { UserManager } from 'oidc-client-ts';

const userManager = new UserManager({
  authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE',
  client_id: 'exampleclientid',
  redirect_uri: `${location.origin}/callback`,
  post_logout_redirect_uri: location.origin,
  response_type: 'code',
  scope: 'openid email profile',
});

const out = document.querySelector('#out');

async function main() {
  if (location.pathname === '/callback') {
    await userManager.signinCallback();
    history.replaceState(null, '', '/');
  }
  const user = await userManager.getUser();
  if (!user || user.expired) {
    document.querySelector('#sign-in').onclick = () => userManager.signinRedirect();
    return;
  }
  out.textContent = user.profile.email ?? user.profile.sub;
  const token = user.access_token;
  const res = await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } });
  out.textContent += ` ${res.status}`;
  document.querySelector('#sign-out').onclick = () => userManager.signoutRedirect();
}

main().catch((error) => {
  out.textContent = String(error);
});
