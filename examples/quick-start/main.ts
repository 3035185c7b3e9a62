import { createCognitoAuth } from 'cognito-spa-auth';

const auth = createCognitoAuth({
  authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF', // the user pool's issuer
  clientId: '1a2b3c4d5e6f7g8h9i0j1k2l3m', // a public app client (no secret)
  callbackUrl: `${location.origin}/callback`, // an allowed callback URL of that app client
  domain: 'https://my-app.auth.us-east-1.amazoncognito.com', // the hosted UI: no discovery request
});

const $ = (id: string) => document.getElementById(id)!;
auth.subscribe(({ status, user, error, signedOut }) => {
  $('status').textContent = user ? `Signed in as ${user.principal}` : signedOut ? 'You signed out.' : status;
  $('error').textContent = error ? `${error.code}: ${error.message}` : '';
  $('sign-in').hidden = status !== 'unauthenticated' && status !== 'error';
  $('sign-out').hidden = $('call-api').hidden = status !== 'authenticated';
});
$('sign-in').onclick = () => auth.signIn(); // to the hosted UI, then back to this page
$('sign-out').onclick = () => auth.signOut(); // revokes the refresh token, then Cognito's /logout
$('call-api').onclick = async () => {
  const token = await auth.getAccessToken(); // renews first when needed
  const res = await fetch('/api/things', { headers: { Authorization: `Bearer ${token}` } });
  $('api').textContent = `GET /api/things: ${res.status}`;
};

// On every page load. On the callback URL it completes the sign-in and says where it started.
const { returnTo } = await auth.init();
if (returnTo) history.replaceState(null, '', returnTo);
