// The demo page: cognito-spa-auth from a script tag (window.CognitoAuth), configured by
// /config.js (window.DEMO_CONFIG). No framework, no build, no inline script: it runs under
// `script-src 'self'`. It shows claims and expiry, never a token.
(function () {
  'use strict';

  var $ = function (id) { return document.querySelector('[data-testid="' + id + '"]') || document.getElementById(id); };
  var all = window.DEMO_CONFIG || {};
  var demo = all.demo || { mode: 'local', users: [] };
  var config = {};
  Object.keys(all).forEach(function (k) { if (k !== 'demo') config[k] = all[k]; });

  var lastError = null;
  var auth;

  // ---- errors -----------------------------------------------------------------------------

  /** Every AuthError readably: code, message, and the details it carries. */
  function showError(err) {
    lastError = err || null;
    var box = $('error');
    box.textContent = '';
    box.hidden = !err;
    if (!err) return;
    var title = document.createElement('strong');
    title.className = 'code';
    title.textContent = err.code || err.name || 'Error';
    var msg = document.createElement('span');
    msg.textContent = ' ' + (err.message || String(err));
    box.append(title, msg);
    var details = ['reason', 'error', 'errorDescription', 'oauthError', 'awsError', 'status'].filter(function (k) {
      return err[k] !== undefined && err[k] !== null && err[k] !== '';
    });
    if (err.cause && err.cause.message) details.push('cause');
    if (details.length) {
      var dl = document.createElement('dl');
      details.forEach(function (k) {
        var dt = document.createElement('dt');
        dt.textContent = k;
        var dd = document.createElement('dd');
        dd.textContent = k === 'cause' ? err.cause.message : String(err[k]);
        dd.setAttribute('data-field', k);
        dl.append(dt, dd);
      });
      box.append(dl);
    }
  }

  // ---- event log --------------------------------------------------------------------------
  // Kept in sessionStorage, so that it survives the trips to the hosted UI and to /logout.

  var LOG_KEY = 'cognito-spa-auth-demo.events';
  var logged = [];
  try { logged = JSON.parse(sessionStorage.getItem(LOG_KEY) || '[]'); } catch (e) { logged = []; }

  function showEvent(entry) {
    var li = document.createElement('li');
    li.setAttribute('data-event', entry.name);
    var time = document.createElement('time');
    time.textContent = new Date(entry.at).toLocaleTimeString();
    var label = document.createElement('strong');
    label.textContent = entry.name;
    li.append(time, ' ', label);
    if (entry.detail) li.append(' ', entry.detail);
    $('events').prepend(li);
  }

  function logEvent(name, detail) {
    var entry = { name: name, detail: detail || '', at: Date.now() };
    logged = logged.concat([entry]).slice(-50);
    try { sessionStorage.setItem(LOG_KEY, JSON.stringify(logged)); } catch (e) { /* the log is a convenience */ }
    showEvent(entry);
  }

  // ---- rendering --------------------------------------------------------------------------

  function setText(id, text) { $(id).textContent = text; }

  function pair(dl, key, value) {
    var dt = document.createElement('dt');
    dt.textContent = key;
    var dd = document.createElement('dd');
    dd.textContent = value;
    dd.setAttribute('data-attribute', key);
    dl.append(dt, dd);
  }

  function formatDuration(s) {
    if (s <= 0) return 'expired';
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + sec + 's';
  }

  function tick() {
    var user = auth && auth.getUser();
    var el = $('expires-in');
    if (!user) {
      el.textContent = '';
      el.removeAttribute('data-expires-at');
      return;
    }
    el.setAttribute('data-expires-at', String(user.expiresAt));
    el.textContent = formatDuration(user.expiresAt - Math.floor(Date.now() / 1000));
    el.classList.toggle('soon', user.expiresAt - Date.now() / 1000 < 60);
    setText('expires-at', '(at ' + new Date(user.expiresAt * 1000).toLocaleTimeString() + ')');
  }

  function render(state) {
    var status = $('status');
    status.textContent = state.status;
    status.setAttribute('data-status', state.status);
    var user = state.user;
    $('signed-in').hidden = !user;
    $('signed-out').hidden = !!user || state.status === 'loading';
    // The user's own sign-out (kept across the reload Cognito's /logout causes): say so.
    $('signed-out-notice').hidden = !state.signedOut;
    if (state.error) showError(state.error);
    if (user) {
      setText('principal', user.principal);
      setText('email', user.email || '—');
      setText('domain', user.domain || '—');
      setText('is-admin', String(user.isAdmin));
      setText('groups', user.groups.length ? user.groups.join(', ') : '(none)');
      var attrs = $('attributes');
      attrs.textContent = '';
      Object.keys(user.attributes).forEach(function (k) { pair(attrs, k, user.attributes[k]); });
      if (!attrs.children.length) pair(attrs, '(none)', '');
      setText('claims', JSON.stringify(user.claims, null, 2));
    }
    tick();
  }

  function renderPool() {
    var foot = $('pool');
    foot.textContent = demo.footer || (demo.mode === 'local' ? 'Local user pool ' : 'Cognito user pool ') + config.authority +
      ' · client ' + config.clientId + ' · storage ' + (config.storage || 'session');
    if (demo.mode === 'local' && demo.users && demo.users.length) {
      var hint = $('users-hint');
      hint.hidden = false;
      hint.textContent = 'Demo users: ' + demo.users.map(function (u) { return u.username; }).join(', ') +
        (demo.password ? ' · password ' + demo.password : '');
    }
  }

  // ---- actions ----------------------------------------------------------------------------

  function busy(button, promise) {
    button.disabled = true;
    return promise.then(
      function (v) { button.disabled = false; return v; },
      function (e) { button.disabled = false; showError(e); }
    );
  }

  function signIn(event) {
    event.preventDefault();
    showError(null);
    var options = {};
    var prompt = document.getElementById('prompt').value;
    if (prompt) options.prompt = prompt;
    var maxAge = document.getElementById('max-age').value.trim();
    if (maxAge !== '') options.maxAge = Number(maxAge);
    busy($('sign-in'), auth.signIn(options)); // navigates to the hosted UI
  }

  function renew() {
    showError(null);
    // The token itself stays here: the page shows only what changed (claims and expiry).
    busy($('renew'), auth.getAccessToken({ forceRefresh: true }).then(function () { return undefined; }));
  }

  // The backend-for-frontend twin (demo/bff-serve.mjs): the page calls the API through the BFF's
  // proxy, which adds the access token; the page never holds one.
  function callApi() {
    showError(null);
    busy($('call-api'), auth.fetch(demo.api).then(function (r) { return r.json(); }).then(function (reply) {
      setText('api-reply', JSON.stringify(reply, null, 2));
      $('api-reply').hidden = false;
    }));
  }

  /** The identity id and the expiry of the user's AWS credentials; the keys stay in the SDK. */
  function awsCredentials() {
    showError(null);
    busy($('aws-get'), auth.getAwsCredentials().then(function (c) {
      setText('aws-identity-id', c.identityId);
      var expires = $('aws-expiration');
      expires.textContent = c.expiration.toLocaleTimeString();
      expires.setAttribute('data-expires-at', String(c.expiration.getTime()));
      logEvent('awsCredentials', 'expire ' + c.expiration.toLocaleTimeString());
    }));
  }

  function signOut() {
    showError(null);
    busy($('sign-out'), auth.signOut()); // revokes the refresh token, then Cognito's /logout
  }

  // The popup opens inside this click (before any await); this page keeps its state meanwhile.
  function signInWithPopup() {
    showError(null);
    busy($('sign-in-popup'), auth.signInWithPopup());
  }

  function showUserInfo() {
    showError(null);
    busy($('user-info'), auth.fetchUserInfo().then(function (info) {
      var pre = $('userinfo');
      pre.hidden = false;
      pre.textContent = JSON.stringify(info, null, 2);
    }));
  }

  function showSessionEnding(e) {
    var el = $('session-ending');
    el.hidden = !e || e.secondsLeft === null;
    el.textContent = el.hidden ? '' : (e.reason === 'idle' ? 'Signing you out for inactivity in ' : 'Your session ends in ') + e.secondsLeft + ' s';
  }

  // ---- start ------------------------------------------------------------------------------

  function start() {
    renderPool();
    try {
      auth = window.CognitoAuth.createCognitoAuth(config);
    } catch (e) {
      render({ status: 'error', user: null, error: e });
      return;
    }
    window.demoAuth = auth; // for the console and the end-to-end tests

    auth.subscribe(render);
    auth.on('signedIn', function (e) {
      logEvent('signedIn', e.user.principal);
      showError(null);
    });
    auth.on('tokensRenewed', function (e) {
      logEvent('tokensRenewed', 'expires ' + new Date(e.expiresAt * 1000).toLocaleTimeString());
      if (lastError && lastError.code !== 'state_mismatch') showError(null); // a renew that failed before worked now
    });
    auth.on('renewFailed', function (e) {
      logEvent('renewFailed', e.error.code + (e.willRetry ? ', will retry' : ''));
      showError(e.error);
    });
    auth.on('signedOut', function (e) {
      logEvent('signedOut', e.reason);
      showSessionEnding(null);
      $('userinfo').hidden = true;
    });
    auth.on('sessionEnding', showSessionEnding);
    auth.on('sessionExpired', function (e) {
      logEvent('sessionExpired', e.error.code);
      showError(e.error);
    });

    document.getElementById('sign-in-form').addEventListener('submit', signIn);
    $('renew').addEventListener('click', renew);
    if (demo.api) {
      $('renew').hidden = true;
      $('call-api').hidden = false;
      $('call-api').addEventListener('click', callApi);
    }
    $('sign-out').addEventListener('click', signOut);
    $('sign-in-popup').addEventListener('click', signInWithPopup);
    $('sign-up').addEventListener('click', function () { busy($('sign-up'), auth.signUp()); });
    $('forgot-password').addEventListener('click', function () { busy($('forgot-password'), auth.forgotPassword()); });
    $('switch-account').addEventListener('click', function () { busy($('switch-account'), auth.switchAccount()); });
    $('user-info').addEventListener('click', showUserInfo);
    $('aws').hidden = !config.identityPoolId; // the card needs an identity pool in the config
    $('aws-get').addEventListener('click', awsCredentials);
    auth.on('signedOut', function () {
      setText('aws-identity-id', '—');
      setText('aws-expiration', '—');
    });
    setInterval(tick, 1000);

    logged.forEach(showEvent);
    var callbackPath = config.callbackUrl && new URL(config.callbackUrl).pathname; // none with a BFF: its server answers the callback
    auth.init().then(function (state) {
      render(state);
      // After a callback init() says where sign-in started (returnTo); a failed one stays on '/'.
      if (state.returnTo) history.replaceState(null, '', state.returnTo);
      else if (location.pathname === callbackPath) history.replaceState(null, '', '/');
    }, showError);
  }

  start();
})();
