import type { NormalizedConfig } from './config.js';
import { AuthError, type AuthErrorCode } from './errors.js';
import type { User } from './types.js';

// Who a user is, decided the way OpenMetadata's server decides it (openmetadata-service:
// security/SecurityUtil.java findUserNameFromClaims, findEmailFromClaims, validateEmailVerifiedClaim,
// validateDomainEnforcement), so that the app shows the user every OpenMetadata API call will see.
// README "How a user is decided" lists the rules.

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const refuse = (code: AuthErrorCode, message: string): never => {
  throw new AuthError(code, message);
};

/** A claim as a string for the `attributes` map: strings as they are, anything else as JSON. */
const asText = (v: unknown): string | undefined => (v == null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Map verified ID-token claims to the app's {@link User}, or refuse the user as OpenMetadata would:
 * `principal_claim_missing`, `email_not_verified`, `principal_domain_forbidden`.
 * Touches no browser API: a backend-for-frontend reuses it.
 */
export function toUser(claims: Record<string, unknown>, cfg: NormalizedConfig, expiresAt: number, idTokenExpiresAt: number): User {
  const { identity, principalDomain: pd, domains } = cfg;
  // A mapping's username and email claims override jwtPrincipalClaims; else the first present
  // principal claim gives both. `raw` is the value the email and the domain come from.
  const first = cfg.principalClaims.find((k) => claims[k] != null);
  const key = identity ?? [first, first];
  const [name, raw] = key.map((k) => k && str(claims[k]));
  const at = raw?.includes('@');
  if (!name || !at && identity) refuse('principal_claim_missing', `no usable ${identity ? key[+!!name] : cfg.principalClaims} claim`);
  const principal = name!.split('@')[0]!.toLowerCase();
  const email = (at ? raw : pd && `${raw}@${pd}`)?.toLowerCase() || undefined;
  const domain = email?.split('@')[1];
  const verified = String(claims.email_verified).toLowerCase();
  if (verified === 'false') refuse('email_not_verified', `${email}: email_verified is false`);
  // The domain comes from the same value as the email: none when that value is not an email.
  if (domains && !(at && domains.includes(domain!))) refuse('principal_domain_forbidden', `enforcePrincipalDomain: ${at ? domain : 'no domain'} is not ${domains}`);

  const attributes: Record<string, string> = {};
  for (const [field, claim] of cfg.claimsMapping) {
    const value = asText(claims[claim]);
    if (value !== undefined) attributes[field] = value;
  }
  const list = claims['cognito:groups'];
  const groups = Array.isArray(list) ? list.filter((g): g is string => typeof g === 'string') : [];
  // Federated users: `identities` (an array, or a JSON string of one), else the automatic group {poolId}_{Provider}.
  let ids = claims.identities;
  try {
    ids = JSON.parse(ids as string);
  } catch {
    /* already an array, or absent */
  }
  const pool = `${cfg.authority.split('/').pop()}_`;
  return {
    principal,
    email,
    domain,
    emailVerified: verified === 'true' || undefined,
    provider: str((ids as Array<{ providerName?: unknown }> | undefined)?.[0]?.providerName) ?? groups.find((g) => g.startsWith(pool))?.slice(pool.length),
    isAdmin: cfg.adminPrincipals.includes(principal) || cfg.adminEmails.includes(email!),
    groups,
    attributes,
    claims: Object.freeze({ ...claims }),
    expiresAt,
    idTokenExpiresAt,
  };
}
