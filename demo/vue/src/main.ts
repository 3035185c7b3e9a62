import { createApp } from 'vue';
import { createCognitoAuth, fromOpenMetadataConfig } from 'cognito-spa-auth';
import { createAuthGuard, createCognitoAuthPlugin } from 'cognito-spa-auth/vue';
import App from './App.vue';
import { path } from './route.js';

// The settings an OpenMetadata server keeps for Cognito (its authenticationConfiguration and
// authorizerConfiguration), turned into the SDK's config. OpenMetadata has no field for the
// hosted-UI domain, so it is added here.
const pool = __LOCAL_POOL__;
const authentication = {
  provider: 'aws-cognito',
  authority: pool.authority,
  clientId: pool.clientId,
  callbackUrl: pool.callbackUrl,
  publicKeyUrls: [`${pool.authority}/.well-known/jwks.json`],
  jwtPrincipalClaims: ['cognito:username', 'email', 'sub'],
  jwtPrincipalClaimsMapping: ['name:name'],
};
const authorizer = {
  className: 'org.openmetadata.service.security.DefaultAuthorizer',
  adminPrincipals: ['alice'],
  principalDomain: 'example.com',
};
const auth = createCognitoAuth({ ...fromOpenMetadataConfig(authentication, authorizer), domain: pool.domain, debug: true });

createApp(App)
  .use(
    createCognitoAuthPlugin(auth, {
      onCallback: ({ returnTo }) => {
        history.replaceState(null, '', returnTo);
        path.value = location.pathname;
      },
    }),
  )
  .mount('#app');

// With vue-router this is `router.beforeEach(createAuthGuard(auth))`; here the page is the only route.
const guard = createAuthGuard(auth);
void guard({ fullPath: location.pathname + location.search, meta: { requiresAuth: location.pathname === '/profile' } });
