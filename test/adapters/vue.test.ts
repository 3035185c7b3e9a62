import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, effectScope, h, nextTick } from 'vue';
import { describe, expect, it, vi } from 'vitest';
import { AuthError, type CallbackResult, type CognitoAuth } from '../../src/index.js';
import { createAuthGuard, createCognitoAuthPlugin, useAuth } from '../../src/vue/index.js';
import { createTestAuth } from '../../src/testing/index.js';
import { ALICE } from '../support/cognito.js';
import { baseConfig, createTestApp } from '../support/app.js';
import { createIdentityPool, IDENTITY_POOL_ID } from '../support/identity.js';
import { server } from '../support/setup.js';

const Status = defineComponent({
  setup() {
    const { status, user, error, isAuthenticated, signOut } = useAuth();
    return () =>
      h('div', [
        h('p', { id: 'status' }, status.value),
        isAuthenticated.value ? h('p', { id: 'user' }, `Hello ${user.value?.principal}`) : null,
        error.value ? h('p', { role: 'alert' }, `${error.value.code}: ${error.value.message}`) : null,
        h('button', { id: 'out', onClick: () => void signOut() }, 'Sign out'),
      ]);
  },
});

const mountWith = (auth: CognitoAuth, onCallback?: (r: CallbackResult) => void) =>
  mount(Status, { global: { plugins: [createCognitoAuthPlugin(auth, onCallback ? { onCallback } : {})] } });

const until = (check: () => void) => vi.waitFor(check, { timeout: 3000 });

describe('Vue adapter', () => {
  it('shows loading, then the signed-in user after the callback, and returns to returnTo', async () => {
    const app = await createTestApp();
    await app.reachCallback(ALICE, { returnTo: '/reports?id=7' });
    const client = app.another();
    const init = vi.spyOn(client, 'init');
    const wrapper = mountWith(client);
    expect(wrapper.find('#status').text()).toBe('loading');
    await until(() => expect(wrapper.find('#user').exists()).toBe(true));
    expect(wrapper.find('#user').text()).toBe('Hello alice');
    expect(location.pathname + location.search).toBe('/reports?id=7');
    expect(init).toHaveBeenCalledTimes(1);
    expect(app.cognito.pool.counts.token).toBe(1);
    wrapper.unmount();
  });

  it('creates the client from a config and calls onCallback once', async () => {
    const app = await createTestApp();
    await app.reachCallback(ALICE, { returnTo: '/reports', appState: { tab: 2 } });
    const onCallback = vi.fn<(r: CallbackResult) => void>();
    const config = { ...baseConfig, navigate: (u: string) => void app.navigations.push(u) };
    const wrapper = mount(Status, { global: { plugins: [createCognitoAuthPlugin(config, { onCallback })] } });
    await until(() => expect(onCallback).toHaveBeenCalledTimes(1));
    expect(onCallback.mock.calls[0]?.[0].returnTo).toBe('/reports');
    expect(onCallback.mock.calls[0]?.[0].appState).toEqual({ tab: 2 });
    expect(wrapper.find('#user').text()).toBe('Hello alice');
    wrapper.unmount();
  });

  it('signs out', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    window.happyDOM?.setURL('https://app.example.com/');
    const wrapper = mountWith(app.another());
    await until(() => expect(wrapper.find('#status').text()).toBe('authenticated'));
    await wrapper.find('#out').trigger('click');
    await until(() => expect(wrapper.find('#status').text()).toBe('unauthenticated'));
    expect(app.navigations.at(-1)).toMatch(/\/logout\?client_id=/);
    expect(app.cognito.pool.counts.revoke).toBe(1);
    wrapper.unmount();
  });

  it("renders the AuthError of a callback that carries Cognito's error", async () => {
    const app = await createTestApp();
    await app.auth.signIn();
    const state = new URL(app.navigations[0] as string).searchParams.get('state') as string;
    window.happyDOM?.setURL(`https://app.example.com/callback?error=access_denied&state=${state}`);
    const wrapper = mountWith(app.another());
    await until(() => expect(wrapper.find('[role=alert]').exists()).toBe(true));
    expect(wrapper.find('[role=alert]').text()).toMatch(/^idp_error: .*access_denied/);
    expect(wrapper.find('#status').text()).toBe('error');
    wrapper.unmount();
  });

  it('useAuth without the plugin throws an invalid_config AuthError', () => {
    let thrown: unknown;
    const quiet = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      mount(Status, { global: { config: { errorHandler: (e) => void (thrown = e) } } });
    } catch (e) {
      thrown = e;
    }
    quiet.mockRestore();
    expect(thrown).toBeInstanceOf(AuthError);
    expect((thrown as AuthError).code).toBe('invalid_config');
    expect((thrown as AuthError).message).toContain('createCognitoAuthPlugin');
  });

  it('useAuth() gives AWS credentials and the identity id of the identity pool', async () => {
    const app = await createTestApp({ identityPoolId: IDENTITY_POOL_ID });
    const identity = createIdentityPool(app.cognito);
    server.use(...identity.handlers);
    await app.signInAs(ALICE);
    const scope = effectScope();
    const result = scope.run(() => useAuth(app.auth));
    const [c, id] = await Promise.all([result?.getAwsCredentials(), result?.getIdentityId()]);
    expect(c?.identityId).toMatch(/^us-east-1:/);
    expect(id).toBe(c?.identityId);
    expect(identity.pool.counts).toEqual({ getId: 1, credentials: 1 });
    scope.stop();
  });

  it('stops following the client when its scope is disposed', async () => {
    const app = await createTestApp();
    const scope = effectScope();
    const result = scope.run(() => useAuth(app.auth));
    await app.auth.init();
    expect(result?.status.value).toBe('unauthenticated');
    scope.stop();
    await app.signInAs(ALICE);
    await nextTick();
    expect(app.auth.getState().status).toBe('authenticated');
    expect(result?.state.value.status).toBe('unauthenticated');
  });

  describe('createAuthGuard', () => {
    it('lets public routes through without waiting or navigating', async () => {
      const app = await createTestApp();
      const init = vi.spyOn(app.auth, 'init');
      await expect(createAuthGuard(app.auth)({ fullPath: '/about', meta: {} })).resolves.toBe(true);
      expect(init).not.toHaveBeenCalled();
      expect(app.navigations).toEqual([]);
    });

    it('cancels a protected navigation and signs in with returnTo = the route', async () => {
      const app = await createTestApp();
      const guard = createAuthGuard(app.auth, { signInOptions: { prompt: 'login' } });
      await expect(guard({ fullPath: '/admin?tab=2#top', meta: { requiresAuth: true } })).resolves.toBe(false);
      expect(app.navigations).toHaveLength(1);
      const authorize = new URL(app.navigations[0] as string);
      expect(authorize.pathname).toBe('/oauth2/authorize');
      expect(authorize.searchParams.get('prompt')).toBe('login');
      window.happyDOM?.setURL(app.cognito.authorize(authorize.href));
      expect((await app.another().handleCallback()).returnTo).toBe('/admin?tab=2#top');
    });

    it('waits for the callback to finish, then lets a signed-in user through', async () => {
      const app = await createTestApp();
      await app.reachCallback();
      const client = app.another();
      const guard = createAuthGuard(client, { requiresAuth: (to) => to.fullPath.startsWith('/admin') });
      await expect(guard({ fullPath: '/admin' })).resolves.toBe(true);
      expect(client.getState().status).toBe('authenticated');
      expect(app.navigations).toHaveLength(1); // only the sign-in that led here
      await flushPromises();
    });
  });

  it('follows each auth state the test kit drives', async () => {
    const auth = createTestAuth({ status: 'loading' });
    const wrapper = mountWith(auth);
    expect(wrapper.find('#status').text()).toBe('loading');
    auth.signInAs('alice');
    await nextTick();
    expect(wrapper.find('#user').text()).toBe('Hello alice');
    auth.failRenew(new AuthError('token_request_failed', 'refused', { oauthError: 'invalid_grant' }));
    await nextTick();
    expect(wrapper.find('#status').text()).toBe('unauthenticated');
    expect(wrapper.find('[role=alert]').text()).toMatch(/^login_required/);
    await createAuthGuard(auth)({ fullPath: '/admin', meta: { requiresAuth: true } });
    expect(auth.callsTo('signIn')).toEqual([[{ returnTo: '/admin' }]]);
    wrapper.unmount();
  });
});
