// The script-tag build's version of features.ts (rollup.config.mjs swaps it in): one file loads
// no chunks, so it takes every feature directly, without the lazy entry's wrappers.
export { relay, signInWithPopup } from './popup.js';
export { fetchUserInfo } from './userinfo.js';
export { forgotPassword, signUp, switchAccount } from './links.js';
export { watchIdle } from './idle.js';
