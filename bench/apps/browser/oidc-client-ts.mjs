// Browser page app: oidc-client-ts (UserManager; metadata from discovery, no automatic silent
// renew, no userinfo), for the request-count and callback-time sections (browser.mjs). The page
// sets `window.BENCH` (the local IdP's settings) before this module runs; the results go to
// `window.__bench` for the runner to read.
import { UserManager } from 'oidc-client-ts';

const cfg = window.BENCH;
const bench = (window.__bench = { ready: false });

const userManager = new UserManager({
  authority: cfg.authority,
  client_id: cfg.clientId,
  redirect_uri: cfg.callbackUrl,
  response_type: 'code',
  scope: 'openid email profile',
  automaticSilentRenew: false,
  loadUserInfo: false,
});

document.querySelector('#sign-in').onclick = () => {
  userManager.signinRedirect().catch((error) => {
    bench.error = String(error);
  });
};

/** A forced renew (the refresh-token grant, as oidc-client-ts does it when the user has one). */
bench.renew = async () => {
  const user = await userManager.signinSilent();
  return typeof user?.access_token === 'string' && user.access_token.length > 0;
};

async function main() {
  const callback = location.pathname === new URL(cfg.callbackUrl).pathname && new URLSearchParams(location.search).has('state');
  // SDK time: signinRedirectCallback() (discovery, code exchange, token checks) or getUser().
  const start = performance.now();
  const user = callback ? await userManager.signinRedirectCallback() : await userManager.getUser();
  const end = performance.now();
  if (callback) history.replaceState(null, '', cfg.homePath); // where the app goes next
  Object.assign(bench, {
    callback,
    signedIn: !!user && !user.expired,
    sdkStart: start,
    sdkMs: end - start,
    userAt: end,
    error: null,
  });
}

main()
  .catch((error) => {
    bench.error = String(error);
  })
  .finally(() => {
    bench.ready = true;
  });
