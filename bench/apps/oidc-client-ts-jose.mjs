// Consumer app: oidc-client-ts, plus jose to verify the ID token's signature
// against the user pool's JWKS (oidc-client-ts does not check signatures).
import { UserManager } from 'oidc-client-ts';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE';
const clientId = 'exampleclientid';
const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));

const userManager = new UserManager({
  authority: issuer,
  client_id: clientId,
  redirect_uri: `${location.origin}/callback`,
  post_logout_redirect_uri: location.origin,
  response_type: 'code',
  scope: 'openid email profile',
});

const out = document.querySelector('#out');

async function main() {
  if (location.pathname === '/callback') {
    const signedIn = await userManager.signinCallback();
    await jwtVerify(signedIn.id_token, jwks, { issuer, audience: clientId });
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
