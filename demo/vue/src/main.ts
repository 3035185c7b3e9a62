import { createApp } from 'vue';
import { createCognitoAuth, fromOpenMetadataConfig } from 'cognito-spa-auth';
import { createAuthGuard, createCognitoAuthPlugin } from 'cognito-spa-auth/vue';
import App from './App.vue';
import { stockReplies } from './openmetadata.js';
import { path } from './route.js';

// The config comes from what an OpenMetadata server serves a browser, as it serves it. Its
// /config/authorizer reply holds only principalDomain: the admins are the app's to pass, as in
// OpenMetadata's authorizerConfiguration. OpenMetadata has no field for the hosted-UI domain.
const pool = __LOCAL_POOL__;
const [authReply, authorizerReply] = stockReplies(pool);
const auth = createCognitoAuth({
  ...fromOpenMetadataConfig(authReply, { ...authorizerReply, adminPrincipals: ['alice'] }, { debug: true }),
  domain: pool.domain,
  debug: true,
});

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
