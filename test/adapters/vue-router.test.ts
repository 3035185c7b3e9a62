// The Vue adapter with a real vue-router (web history on happy-dom): the README's setup, with no
// onCallback, lands on returnTo with a clean address and history; a user's own sign-out shows
// the signed-out state instead of starting a sign-in.
import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { createRouter, createWebHistory, RouterView, type Router } from 'vue-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CognitoAuth } from '../../src/index.js';
import { createAuthGuard, createCognitoAuthPlugin, useAuth, type AuthGuardOptions } from '../../src/vue/index.js';
import { ALICE } from '../support/cognito.js';
import { createTestApp } from '../support/app.js';

const Shell = defineComponent({
  setup() {
    const { status, signedOut } = useAuth();
    return () => h('div', [h('p', { id: 'status' }, `${status.value}${signedOut.value ? ' (signed out)' : ''}`), h(RouterView)]);
  },
});
const page = (name: string) => defineComponent({ render: () => h('p', { id: 'page' }, name) });
const routes = [
  { path: '/', component: page('home') },
  { path: '/reports', component: page('reports'), meta: { requiresAuth: true } },
  { path: '/:rest(.*)*', component: page('not found') },
];

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});

/** The README's setup: plugin, router, guard; `order` says which of plugin and router comes first. */
async function start(auth: CognitoAuth, order: 'plugin-first' | 'router-first' = 'plugin-first', guard: AuthGuardOptions = {}): Promise<{ router: Router; text: () => string }> {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach(createAuthGuard(auth, guard));
  const plugins = order === 'plugin-first' ? [createCognitoAuthPlugin(auth), router] : [router, createCognitoAuthPlugin(auth)];
  const wrapper = mount(Shell, { global: { plugins } });
  unmount = () => wrapper.unmount();
  await router.isReady().catch(() => undefined);
  await flushPromises();
  return { router, text: () => wrapper.text() };
}

describe('Vue adapter with vue-router', () => {
  it.each(['plugin-first', 'router-first'] as const)('lands on returnTo after the callback, with no code in the address or the history (%s)', async (order) => {
    const app = await createTestApp();
    await app.reachCallback(ALICE, { returnTo: '/reports?id=7' });
    const entries = history.length;
    const { router, text } = await start(app.another(), order);
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/reports?id=7'));
    await flushPromises();
    expect(text()).toContain('reports');
    expect(text()).toContain('authenticated');
    expect(location.pathname + location.search).toBe('/reports?id=7');
    // The callback's entry was replaced: no new entry, and vue-router's own record of it is clean.
    expect(history.length).toBe(entries);
    expect(JSON.stringify(history.state)).not.toMatch(/code=|state=/);
    expect(app.cognito.pool.counts.token).toBe(1);
  });

  it('after a failed callback goes to / with a clean address and starts no sign-in', async () => {
    const app = await createTestApp();
    const url = new URL(await app.reachCallback(ALICE, { returnTo: '/reports' }));
    url.searchParams.set('code', 'not-a-code');
    window.happyDOM?.setURL(url.href);
    const { router, text } = await start(app.another());
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/'));
    expect(location.search).toBe('');
    expect(text()).toContain('error');
    expect(app.navigations.filter((u) => u.includes('/oauth2/authorize'))).toHaveLength(1); // the one before
  });

  it("after the user's own sign-out, a protected route starts no sign-in (unless asked)", async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    await app.auth.signOut(); // then Cognito's /logout brings the browser back to the app: a new page
    expect(app.auth.getState().signedOut).toBe(true);
    window.happyDOM?.setURL('https://app.example.com/reports');
    const before = app.navigations.length;
    const { router, text } = await start(app.another());
    expect(router.currentRoute.value.matched).toHaveLength(0); // cancelled: nothing protected shown
    expect(text()).toContain('unauthenticated (signed out)');
    expect(app.navigations).toHaveLength(before);
    unmount?.();

    // A route to show instead is an option; an app that wants the old behaviour asks for it.
    window.happyDOM?.setURL('https://app.example.com/reports');
    const routed = await start(app.another(), 'plugin-first', { signedOutRoute: '/' });
    expect(routed.router.currentRoute.value.matched).toHaveLength(1);
    expect(routed.text()).toContain('home');
    unmount?.();
    window.happyDOM?.setURL('https://app.example.com/reports');
    const again = await start(app.another(), 'plugin-first', { signInAfterSignOut: true });
    await vi.waitFor(() => expect(app.navigations.at(-1)).toMatch(/\/oauth2\/authorize\?/));
    expect(again.router.currentRoute.value.matched).toHaveLength(0);
  });

  it('a new sign-in clears the signed-out state', async () => {
    const app = await createTestApp();
    await app.signInAs(ALICE);
    await app.auth.signOut();
    await app.auth.signIn(); // leaves for the hosted UI; the user comes back without finishing
    window.happyDOM?.setURL('https://app.example.com/reports');
    const before = app.navigations.length;
    await start(app.another());
    await vi.waitFor(() => expect(app.navigations.length).toBe(before + 1));
    expect(app.navigations.at(-1)).toMatch(/\/oauth2\/authorize\?/);
  });
});
