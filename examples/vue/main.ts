import { createApp, defineComponent, h } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import { createCognitoAuth } from 'cognito-spa-auth';
import { createAuthGuard, createCognitoAuthPlugin, useAuth } from 'cognito-spa-auth/vue';
import App from './App.vue';

const auth = createCognitoAuth({
  authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF',
  clientId: '1a2b3c4d5e6f7g8h9i0j1k2l3m',
  callbackUrl: `${location.origin}/callback`,
  domain: 'https://my-app.auth.us-east-1.amazoncognito.com',
});

const Reports = defineComponent(() => {
  const { user } = useAuth();
  return () => h('p', `Reports for ${user.value?.principal} (${user.value?.groups.join(', ') || 'no groups'})`);
});

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: { render: () => h('p', 'Home: anyone can see this page.') } },
    { path: '/reports', component: Reports, meta: { requiresAuth: true } },
    { path: '/:path(.*)*', component: { render: () => h('p', 'Not found') } },
  ],
});
// Routes with meta.requiresAuth need a user; after sign-in the guard takes the router from the
// callback URL to the page sign-in started from (no code left in the address or the history).
router.beforeEach(createAuthGuard(auth));

createApp(App).use(createCognitoAuthPlugin(auth)).use(router).mount('#app');
