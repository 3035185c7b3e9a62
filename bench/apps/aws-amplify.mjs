// Consumer app: Amplify v6 (@aws-amplify/core + @aws-amplify/auth), user pool
// only. Configured the way the `aws-amplify` umbrella's Amplify.configure does
// it, less the identity-pool credentials provider that no user-pool-only app
// needs (the smallest set-up that signs in with the hosted UI).
import { Amplify, Hub, defaultStorage } from '@aws-amplify/core';
import { fetchAuthSession, getCurrentUser, signInWithRedirect, signOut } from '@aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from '@aws-amplify/auth/cognito';
// Completes the redirect sign-in when the page loads on the callback URL.
import '@aws-amplify/auth/enable-oauth-listener';

const config = {
  Auth: {
    Cognito: {
      userPoolId: 'us-east-1_EXAMPLE',
      userPoolClientId: 'exampleclientid',
      loginWith: {
        oauth: {
          domain: 'example.auth.us-east-1.amazoncognito.com',
          scopes: ['openid', 'email', 'profile'],
          redirectSignIn: [`${location.origin}/callback`],
          redirectSignOut: [location.origin],
          responseType: 'code',
        },
      },
    },
  },
};
cognitoUserPoolsTokenProvider.setAuthConfig(config.Auth);
cognitoUserPoolsTokenProvider.setKeyValueStorage(defaultStorage);
Amplify.configure(config, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });

const out = document.querySelector('#out');

async function main() {
  let user;
  try {
    user = await getCurrentUser();
  } catch {
    document.querySelector('#sign-in').onclick = () => signInWithRedirect();
    return;
  }
  out.textContent = user.signInDetails?.loginId ?? user.username;
  const { tokens } = await fetchAuthSession();
  const token = tokens.accessToken.toString();
  const res = await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } });
  out.textContent += ` ${res.status}`;
  document.querySelector('#sign-out').onclick = () => signOut();
}

const run = () =>
  main().catch((error) => {
    out.textContent = String(error);
  });
// On the callback URL the listener finishes the code exchange after load.
Hub.listen('auth', ({ payload }) => {
  if (payload.event === 'signInWithRedirect') run();
});
run();
