// Consumer app: cognito-spa-auth (this SDK), imported from its built package.
import { createCognitoAuth } from 'cognito-spa-auth';

const auth = createCognitoAuth({
  authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE',
  clientId: 'exampleclientid',
  callbackUrl: `${location.origin}/callback`,
  domain: 'https://example.auth.us-east-1.amazoncognito.com',
});

const out = document.querySelector('#out');

async function main() {
  if (auth.isCallback()) {
    const { returnTo } = await auth.handleCallback();
    history.replaceState(null, '', returnTo);
  }
  await auth.init();
  const user = auth.getUser();
  if (!user) {
    document.querySelector('#sign-in').onclick = () => auth.signIn();
    return;
  }
  out.textContent = user.email ?? user.principal;
  const token = await auth.getAccessToken();
  const res = await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } });
  out.textContent += ` ${res.status}`;
  document.querySelector('#sign-out').onclick = () => auth.signOut();
}

main().catch((error) => {
  out.textContent = String(error);
});
