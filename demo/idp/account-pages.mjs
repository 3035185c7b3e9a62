// The hosted UI's account pages of the local user pool: sign-up (with its confirmation code) and
// forgot-password (a reset code). Cognito emails the codes; here the page shows them. Reached
// through /signup and /forgotPassword, which take /oauth2/authorize's parameters, so each ends at
// the app's callback like a sign-in.
import { escapeHtml, page, renderLoginPage } from './login-page.mjs';

export const SCREENS = new Set(['signup', 'confirm', 'forgot', 'reset']);

const input = (id, name, label, type, value = '', more = '') => `<label for="${id}">${label}</label>
  <input id="${id}" name="${name}" type="${type}" value="${escapeHtml(value)}" required ${more}>`;

function form(action, screen, fields, button, hidden = {}) {
  const extra = Object.entries(hidden).map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`).join('');
  return `<form method="post" action="${escapeHtml(action)}" novalidate>
  <input type="hidden" name="screen" value="${screen}">${extra}
  ${fields.join('\n  ')}
  <button type="submit">${button}</button>
</form>`;
}

const shownCode = (code, to) => `<p class="hint" id="codeHint">We sent a code to ${escapeHtml(to)}. There is no email here: the code is
<strong id="deliveredCode">${code}</strong>.</p>`;
const error = (text) => (text ? `<p class="error" role="alert" id="accountErrorMessage">${escapeHtml(text)}</p>` : '');

/** The HTML of one account screen. */
export function renderAccountPage(screen, { action, values = {}, code, message }) {
  switch (screen) {
    case 'signup':
      return page('Sign up', `<h1>Sign up with a new account</h1>${error(message)}
${form(action, 'signup', [
  input('signUpUsername', 'username', 'Username', 'text', values.username, 'autocomplete="username" autocapitalize="none" autofocus'),
  input('signUpEmail', 'email', 'Email', 'email', values.email, 'autocomplete="email"'),
  input('signUpPassword', 'password', 'Password', 'password', '', 'autocomplete="new-password"'),
], 'Sign up')}
<p class="hint">Already have an account? <a href="${escapeHtml(action)}">Sign in</a></p>`);
    case 'confirm':
      return page('Confirm your account', `<h1>Confirm your account</h1>${error(message)}${code ? shownCode(code, values.email ?? values.username) : ''}
${form(action, 'confirm', [input('confirmCode', 'code', 'Verification code', 'text', '', 'inputmode="numeric" autocomplete="one-time-code" autofocus')], 'Confirm account', { username: values.username ?? '', email: values.email ?? '' })}`);
    case 'forgot':
      return page('Forgot your password?', `<h1>Forgot your password?</h1>${error(message)}
<p class="hint">Enter your username and we will send a code to reset your password.</p>
${form(action, 'forgot', [input('forgotUsername', 'username', 'Username', 'text', values.username, 'autocomplete="username" autocapitalize="none" autofocus')], 'Reset my password')}
<p class="hint"><a href="${escapeHtml(action)}">Back to sign in</a></p>`);
    default: // reset
      return page('Reset your password', `<h1>Reset your password</h1>${error(message)}${code ? shownCode(code, values.username) : ''}
${form(action, 'reset', [
  input('resetCode', 'code', 'Code', 'text', '', 'inputmode="numeric" autocomplete="one-time-code" autofocus'),
  input('resetPassword', 'password', 'New password', 'password', '', 'autocomplete="new-password"'),
], 'Change password', { username: values.username ?? '' })}`);
  }
}

/**
 * Handle the POST of an account screen: `{ html }` to show next, or `{ user }` when the sign-up
 * is confirmed (that user is then signed in, as Cognito does).
 */
export function submitAccountForm(users, form, action, log) {
  const again = (screen, message, values = form) => ({ html: renderAccountPage(screen, { action, values, message }) });
  switch (form.screen) {
    case 'signup': {
      const r = users.register(form);
      if (r.error) return again('signup', r.error);
      log('signed up', r.user.username);
      return { html: renderAccountPage('confirm', { action, values: { username: r.user.username, email: r.user.email }, code: r.code }) };
    }
    case 'confirm': {
      const r = users.confirm(form.username, form.code);
      return r.error ? again('confirm', r.error) : { user: r.user };
    }
    case 'forgot': {
      const r = users.forgot(form.username);
      if (r.error) return again('forgot', r.error);
      return { html: renderAccountPage('reset', { action, values: { username: r.user.username }, code: r.code }) };
    }
    default: {
      const r = users.reset(form.username, form.code, form.password);
      if (r.error) return again('reset', r.error);
      log('password reset for', r.user.username);
      return { html: renderLoginPage({ action, username: r.user.username, notice: 'Your password was changed. Sign in with the new one.' }) };
    }
  }
}
