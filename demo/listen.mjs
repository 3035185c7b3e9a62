// The demo servers listen the way the local IdP does (demo/idp/listen.mjs, inside the IdP's own package).
export { listen } from './idp/listen.mjs';
