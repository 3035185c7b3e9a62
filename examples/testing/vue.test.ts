import { mount } from '@vue/test-utils';
import { defineComponent, h, nextTick } from 'vue';
import { expect, it } from 'vitest';
import { createCognitoAuthPlugin, useAuth } from 'cognito-spa-auth/vue';
import { createTestAuth } from 'cognito-spa-auth/testing';

const Greeting = defineComponent({
  setup() {
    const { user, isAuthenticated, signIn, signOut } = useAuth();
    return () =>
      isAuthenticated.value
        ? h('p', [`Hello ${user.value?.principal}`, h('button', { onClick: () => signOut() }, 'Sign out')])
        : h('button', { onClick: () => signIn({ returnTo: '/reports' }) }, 'Sign in');
  },
});

it('follows the auth state the test drives', async () => {
  const auth = createTestAuth();
  const wrapper = mount(Greeting, { global: { plugins: [createCognitoAuthPlugin(auth)] } });
  await wrapper.get('button').trigger('click');
  expect(auth.callsTo('signIn')).toEqual([[{ returnTo: '/reports' }]]);

  auth.signInAs({ principal: 'alice', groups: ['admins'] });
  await nextTick();
  expect(wrapper.text()).toContain('Hello alice');

  await wrapper.get('button').trigger('click');
  expect(auth.getState().signedOut).toBe(true);
  expect(wrapper.text()).toBe('Sign in');
});
