/**
 * The one lazy entry of the optional features (popup sign-in, userInfo, hosted-UI links, idle
 * sign-out): `createCognitoAuth` imports this small module, which imports the feature asked for
 * from a chunk of its own. The first chunk then names one lazy chunk instead of one per feature,
 * and an app downloads only the features it calls.
 */
import { loadFailed } from './errors.js';
import type { Internals } from './internals.js';
import type { SignInOptions } from './types.js';

/** A chunk that fails to load (offline, a new deploy) is a network fault, as in the client. */
const load = <M>(chunk: Promise<M>): Promise<M> => chunk.catch(loadFailed);

export const signInWithPopup = (c: Internals, popup: Window | null, options?: SignInOptions) =>
  load(import('./popup.js')).then((m) => m.signInWithPopup(c, popup, options), (e: unknown) => (popup?.close(), Promise.reject(e)));
export const relay = (c: Internals) => load(import('./popup.js')).then((m) => m.relay(c));
export const fetchUserInfo = (c: Internals) => load(import('./userinfo.js')).then((m) => m.fetchUserInfo(c));
export const signUp = (c: Internals, options?: SignInOptions) => load(import('./links.js')).then((m) => m.signUp(c, options));
export const forgotPassword = (c: Internals, options?: SignInOptions) => load(import('./links.js')).then((m) => m.forgotPassword(c, options));
export const switchAccount = (c: Internals, options?: SignInOptions) => load(import('./links.js')).then((m) => m.switchAccount(c, options));
export const watchIdle = (c: Internals) => load(import('./idle.js')).then((m) => m.watchIdle(c));
