// The hosted sign-in page of the local user pool, and the interaction routes behind it.
import { renderAccountPage, SCREENS, submitAccountForm } from './account-pages.mjs';

const STYLE = `
  *{box-sizing:border-box}
  body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
    font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f2f3f3;color:#16191f}
  main{width:100%;max-width:360px;background:#fff;padding:28px 32px;border-radius:8px;
    box-shadow:0 1px 4px rgba(0,0,0,.15)}
  h1{font-size:1.4rem;margin:0 0 20px}
  label{display:block;font-weight:600;margin:14px 0 4px}
  input{width:100%;padding:9px 10px;border:1px solid #879596;border-radius:4px;font:inherit}
  input:focus{outline:2px solid #0073bb;outline-offset:0;border-color:#0073bb}
  button{margin-top:22px;width:100%;padding:10px;border:0;border-radius:4px;background:#ec7211;
    color:#fff;font:inherit;font-weight:700;cursor:pointer}
  button:hover{background:#eb5f07}
  .error{background:#fdf3f1;border:1px solid #d13212;color:#d13212;padding:8px 10px;border-radius:4px;margin:0 0 8px}
  .hint{color:#545b64;font-size:.85rem;margin-top:18px}
  .notice{background:#f1faff;border:1px solid #0073bb;padding:8px 10px;border-radius:4px;margin:0 0 8px}
  .details dt{font-weight:600;margin-top:10px}.details dd{margin:2px 0 0;font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-all}
`;

/** Which page `/login/{uid}` shows first, set by `/signup` and `/forgotPassword`. */
export const SCREEN_COOKIE = 'cognito_screen';

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"]/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;',
  })[c]);
}

export function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export function renderLoginPage({ action, username = '', error, hint, notice }) {
  return page('Sign in', `<h1>Sign in</h1>
${error ? `<p class="error" role="alert" id="loginErrorMessage">${escapeHtml(error)}</p>` : ''}${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" novalidate>
  <label for="signInFormUsername">Username</label>
  <input id="signInFormUsername" name="username" type="text" autocomplete="username" autocapitalize="none"
    required value="${escapeHtml(username)}"${username ? '' : ' autofocus'}>
  <label for="signInFormPassword">Password</label>
  <input id="signInFormPassword" name="password" type="password" autocomplete="current-password" required${username ? ' autofocus' : ''}>
  <button type="submit" name="signInSubmitButton" value="Sign in">Sign in</button>
</form>
<p class="hint"><a href="${escapeHtml(action)}?screen=forgot">Forgot your password?</a> · Need an account? <a href="${escapeHtml(action)}?screen=signup">Sign up</a></p>
${hint ? `<p class="hint">${escapeHtml(hint)}</p>` : ''}`);
}

/** `details`: [label, value] pairs of what the request sent and what is allowed (explain.mjs). */
export function renderErrorPage(error, description, details = []) {
  const dl = details.length
    ? `\n<dl class="details">${details.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v).replace(/\n/g, '<br>')}</dd>`).join('')}</dl>`
    : '';
  return page('Error', `<h1>An error was encountered with the requested page.</h1>
<p class="error" role="alert"><strong>${escapeHtml(error)}</strong>${description ? `: ${escapeHtml(description)}` : ''}</p>${dl}`);
}

export async function readForm(req, limit = 16 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

function html(ctx, status, body) {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}

function redirect(ctx, to) {
  ctx.set('Cache-Control', 'no-store');
  ctx.status = 303;
  ctx.redirect(to);
}

/**
 * Koa handler for `/login/{uid}`: GET shows the form, POST checks the credentials.
 * Prompts other than login (consent, select_account) finish at once: Cognito grants
 * every scope of the app client without asking.
 */
export function createLoginRoute({ provider, users, log }) {
  const resolved = { consent: {}, select_account: {} };
  const passwords = new Set(users.list.map((u) => u.password));
  const hint = `Local user pool. Users: ${users.list.map((u) => u.username).join(', ')}`
    + (passwords.size === 1 ? `; password ${[...passwords][0]}` : '');

  return async function loginRoute(ctx) {
    const uid = /^\/login\/([A-Za-z0-9_-]+)$/.exec(ctx.path)?.[1];
    if (!uid || !['GET', 'POST'].includes(ctx.method)) {
      html(ctx, 404, renderErrorPage('not_found', 'No such page.'));
      return;
    }
    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (err) {
      log('interaction lookup failed:', err.message);
      html(ctx, 400, renderErrorPage('invalid_request', 'This sign-in attempt has expired. Start again from the application.'));
      return;
    }
    if (details.uid !== uid) {
      html(ctx, 400, renderErrorPage('invalid_request', 'This sign-in attempt does not match your browser session.'));
      return;
    }

    if (details.prompt.name !== 'login') {
      redirect(ctx, await provider.interactionResult(ctx.req, ctx.res, resolved, { mergeWithLastSubmission: true }));
      return;
    }

    const action = `/login/${uid}`;
    if (ctx.method === 'GET') {
      // /signup and /forgotPassword lead here with a cookie saying which page comes first.
      const screen = ctx.query.screen ?? ctx.cookies.get(SCREEN_COOKIE);
      ctx.cookies.set(SCREEN_COOKIE, null, { path: '/' });
      const body = screen === 'signup' || screen === 'forgot'
        ? renderAccountPage(screen, { action }) : renderLoginPage({ action, hint, username: details.params.login_hint ?? '' });
      html(ctx, 200, body);
      return;
    }

    const form = await readForm(ctx.req);
    let user;
    if (SCREENS.has(form.screen)) {
      const next = submitAccountForm(users, form, action, log);
      if (next.html) {
        html(ctx, 200, next.html);
        return;
      }
      user = next.user; // a confirmed sign-up is signed in
    } else {
      user = users.authenticate(form.username, form.password);
    }
    if (!user) {
      log('sign-in refused for', JSON.stringify(form.username ?? ''));
      html(ctx, 200, renderLoginPage({ action, hint, username: form.username ?? '', error: 'Incorrect username or password.' }));
      return;
    }
    log('signed in', user.username);
    const to = await provider.interactionResult(ctx.req, ctx.res, {
      login: { accountId: user.sub, remember: true },
      ...resolved,
    }, { mergeWithLastSubmission: false });
    redirect(ctx, to);
  };
}
