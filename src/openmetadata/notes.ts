import type { CognitoAuthConfig } from '../types.js';

/**
 * With `debug`: say what fromOpenMetadataConfig upgraded or left out, and where OpenMetadata's own
 * rules are traps. Short on purpose (they ship in the script-tag build): README "OpenMetadata"
 * explains each.
 */
export function notes(config: CognitoAuthConfig, responseType: string | undefined, dropped: string[]): void {
  const say = (m: string): void => console.warn(`[cognito-spa-auth] OpenMetadata ${m}`);
  if (responseType === 'id_token') say('responseType id_token: signing in with code + PKCE instead');
  for (const url of dropped) say(`publicKeyUrls: left out ${url} (OpenMetadata's bot key set)`);
  const mapping = config.jwtPrincipalClaimsMapping ?? [];
  const keys = mapping.map((entry) => entry.split(':')[0]);
  const names = keys.includes('username') && keys.includes('email');
  // OpenMetadata refuses a mapping without both keys, or with others (SecurityUtil.validatePrincipalClaimsMapping),
  // and drops entries with two colons (buildPrincipalClaimsMapping).
  if (mapping.some((e) => e.split(':')[2]) || keys.length > (names ? 2 : 0)) {
    say(`refuses this jwtPrincipalClaimsMapping; here ${names ? 'username and email name the user' : 'jwtPrincipalClaims name the user'}, the rest fills user.attributes`);
  }
  const first = config.jwtPrincipalClaims?.[0] ?? 'email';
  if (config.enforcePrincipalDomain && !names && first !== 'email') say(`enforcePrincipalDomain refuses users whose ${first} is not an email`);
  if (config.adminPrincipals?.some((a) => a.includes('@'))) say('adminPrincipals holds user names: use adminEmails for emails');
}
