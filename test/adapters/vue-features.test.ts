import { mount } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCognitoAuthPlugin, useAuth } from '../../src/vue/index.js';
import { ALICE, DOMAIN } from '../support/cognito.js';
import { createTestApp } from '../support/app.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const Features = defineComponent({
  setup() {
    const { signInWithPopup, signUp, forgotPassword, switchAccount, fetchUserInfo } = useAuth();
    return () =>
      h('div', [
        h('button', { id: 'popup', onClick: () => void signInWithPopup().catch(() => undefined) }, 'Popup'),
        h('button', { id: 'signup', onClick: () => void signUp() }, 'Sign up'),
        h('button', { id: 'forgot', onClick: () => void forgotPassword() }, 'Forgot'),
        h('button', { id: 'switch', onClick: () => void switchAccount() }, 'Switch'),
        h('button', { id: 'info', onClick: () => void fetchUserInfo().catch(() => undefined) }, 'Info'),
      ]);
  },
});

describe('Vue adapter: popup, links, userInfo', { timeout: 20_000 }, () => {
  it('useAuth() reaches signInWithPopup (opened inside the click), signUp, forgotPassword and switchAccount', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    window.happyDOM?.setURL('https://app.example.com/');
    const wrapper = mount(Features, { global: { plugins: [createCognitoAuthPlugin(app.another())] } });
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    await wrapper.find('#popup').trigger('click');
    expect(open).toHaveBeenCalledTimes(1);
    for (const [id, path] of [['#signup', '/signup'], ['#forgot', '/forgotPassword'], ['#switch', '/logout']] as const) {
      await wrapper.find(id).trigger('click');
      await vi.waitFor(() => expect(app.navigations.at(-1)).toMatch(new RegExp(`^${DOMAIN}${path}\\?`)));
    }
    expect(app.cognito.pool.counts.revoke).toBe(1);
    wrapper.unmount();
  });
});
