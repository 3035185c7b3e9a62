import type { NormalizedConfig } from './config.js';
import { AuthError } from './errors.js';
import type { User } from './types.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A claim as a string for the `attributes` map: strings as they are, other scalars printed, objects as JSON. */
const asText = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);

/**
 * Map verified ID-token claims to the app's {@link User}, the way OpenMetadata's server does:
 * principal from the first present `jwtPrincipalClaims` claim (an email keeps its local part),
 * attributes from `field:claim` pairs, admins by principal or email, groups from `cognito:groups`.
 * Throws `principal_domain_forbidden` when the domain is enforced and differs.
 */
export function toUser(claims: Record<string, unknown>, cfg: NormalizedConfig, expiresAt: number, idTokenExpiresAt: number): User {
  let principal: string | undefined;
  for (const name of cfg.principalClaims) {
    principal = str(claims[name]);
    if (principal) break;
  }
  const email = str(claims.email);
  principal = principal ?? str(claims.sub) ?? '';
  if (principal.includes('@')) principal = principal.slice(0, principal.indexOf('@'));
  const domain = email?.includes('@') ? email.slice(email.lastIndexOf('@') + 1).toLowerCase() : undefined;

  if (cfg.enforcePrincipalDomain && domain !== cfg.principalDomain) {
    throw new AuthError(
      'principal_domain_forbidden',
      `users of ${domain ?? 'no email domain'} may not sign in here: only ${cfg.principalDomain} is allowed`,
    );
  }
  const attributes: Record<string, string> = {};
  for (const [field, claim] of cfg.claimsMapping) {
    const value = asText(claims[claim]);
    if (value !== undefined) attributes[field] = value;
  }
  const admins = cfg.adminPrincipals;
  const groups = claims['cognito:groups'];
  return {
    principal,
    email,
    domain,
    isAdmin: admins.includes(principal.toLowerCase()) || (email !== undefined && admins.includes(email.toLowerCase())),
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
    attributes,
    claims: Object.freeze({ ...claims }),
    expiresAt,
    idTokenExpiresAt,
  };
}
