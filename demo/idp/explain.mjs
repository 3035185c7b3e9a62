// What a refused request sent and what this pool allows, for the IdP's error pages. Cognito's own
// pages say neither; a developer pointing a new app at the local IdP needs both.

const shown = (v) => (typeof v === 'string' ? v : '(not sent)');
const list = (items) => (items.length ? items.join('\n') : '(none)');
const HOW = 'Change the allowed values with the IdP\'s config file (redirectUris, logoutUris, clientId) or its flags (--redirect-uri, --logout-uri, --client-id, --origin).';

/**
 * @param {Record<string, unknown>} params the request's query (or form) parameters
 * @param {{ clientId: string, redirectUris: string[], logoutUris: string[] }} settings
 * @param {'authorize' | 'logout'} where
 * @returns {Array<[string, string]>} label / value pairs, empty when there is nothing to explain
 */
export function explainRefusal(params, settings, where) {
  const out = [];
  if (params.client_id !== settings.clientId) {
    out.push(['client_id sent', shown(params.client_id)], ['client_id of this pool', settings.clientId]);
  }
  const redirect = params.redirect_uri;
  const checkRedirect = where === 'authorize' || typeof params.response_type === 'string';
  if (checkRedirect && !settings.redirectUris.includes(redirect)) {
    out.push(['redirect_uri sent', shown(redirect)], ['redirect_uri allowed (exact match)', list(settings.redirectUris)]);
  }
  if (where === 'logout') {
    const logout = params.logout_uri;
    if (typeof logout === 'string' && !settings.logoutUris.includes(logout)) {
      out.push(['logout_uri sent', logout], ['logout_uri allowed (exact match)', list(settings.logoutUris)]);
    } else if (typeof logout !== 'string' && !checkRedirect) {
      out.push(['logout_uri sent', '(not sent)'], ['logout_uri allowed (exact match)', list(settings.logoutUris)]);
    }
  }
  if (out.length) out.push(['how to fix', HOW]);
  return out;
}
