import { createCognitoAuth } from 'cognito-spa-auth/bff';

const auth = createCognitoAuth(); // the server's routes at /auth; no token ever reaches this page

const $ = (id: string) => document.getElementById(id)!;
auth.subscribe(({ status, user, error, signedOut }) => {
  $('status').textContent = user ? `Signed in as ${user.principal}` : signedOut ? 'You signed out.' : status;
  $('error').textContent = error ? `${error.code}: ${error.message}` : '';
  $('sign-in').hidden = status !== 'unauthenticated' && status !== 'error';
  $('sign-out').hidden = $('call-api').hidden = status !== 'authenticated';
});
$('sign-in').onclick = () => auth.signIn(); // /auth/login, the hosted UI, then back to this page
$('sign-out').onclick = () => auth.signOut(); // the server revokes and forgets the tokens, then Cognito's /logout
$('call-api').onclick = async () => {
  const res = await auth.fetch('/api/things'); // through the BFF's proxy, which adds the access token
  $('api').textContent = `GET /api/things: ${res.status}`;
};

// On every page load: asks /auth/session. After a failed sign-in the state's error says why.
await auth.init();
