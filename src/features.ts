/**
 * The one lazy entry of the optional features (popup sign-in, userInfo, hosted-UI links, idle
 * sign-out): `createCognitoAuth` imports this small module, which imports the feature asked for
 * from a chunk of its own. The first chunk then names one lazy chunk instead of one per feature,
 * and an app downloads only the features it calls.
 */
import type { Internals } from './internals.js';
import { lazy } from './lazy.js';
import type { SignInOptions } from './types.js';

const popup = lazy(() => import('./popup.js'));
const userinfo = lazy(() => import('./userinfo.js'));
const links = lazy(() => import('./links.js'));
const idle = lazy(() => import('./idle.js'));

export const signInWithPopup = (c: Internals, opened: Window | null, options?: SignInOptions) =>
  popup().then((m) => m.signInWithPopup(c, opened, options), (e: unknown) => (opened?.close(), Promise.reject(e)));
export const relay = (c: Internals) => popup().then((m) => m.relay(c));
export const fetchUserInfo = (c: Internals) => userinfo().then((m) => m.fetchUserInfo(c));
export const signUp = (c: Internals, options?: SignInOptions) => links().then((m) => m.signUp(c, options));
export const forgotPassword = (c: Internals, options?: SignInOptions) => links().then((m) => m.forgotPassword(c, options));
export const switchAccount = (c: Internals, options?: SignInOptions) => links().then((m) => m.switchAccount(c, options));
export const watchIdle = (c: Internals) => idle().then((m) => m.watchIdle(c));
