// Browser page app: cognito-spa-auth (this SDK), for the request-count and callback-time
// sections (browser.mjs). The page sets `window.BENCH` (the local IdP's settings) before this
// module runs; the results go to `window.__bench` for the runner to read.
import { createCognitoAuth } from 'cognito-spa-auth';

const cfg = window.BENCH;
const bench = (window.__bench = { ready: false });

const auth = createCognitoAuth({
  authority: cfg.authority,
  clientId: cfg.clientId,
  callbackUrl: cfg.callbackUrl,
  domain: cfg.domain,
  silentRenew: false,
});

document.querySelector('#sign-in').onclick = () => {
  auth.signIn().catch((error) => {
    bench.error = String(error);
  });
};

/** A forced renew; resolves once the new tokens are in. */
bench.renew = async () => {
  const token = await auth.getAccessToken({ forceRefresh: true });
  return typeof token === 'string' && token.length > 0;
};

async function main() {
  const callback = auth.isCallback();
  // SDK time: init() handles the callback (code exchange, token checks) or restores the session.
  const start = performance.now();
  await auth.init();
  const user = auth.getUser();
  const end = performance.now();
  if (callback) history.replaceState(null, '', cfg.homePath); // where the app goes next (returnTo)
  Object.assign(bench, {
    callback,
    signedIn: user !== null,
    sdkStart: start,
    sdkMs: end - start,
    userAt: end,
    error: auth.getState().error ? String(auth.getState().error) : null,
  });
}

main()
  .catch((error) => {
    bench.error = String(error);
  })
  .finally(() => {
    bench.ready = true;
  });
