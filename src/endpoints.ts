import { configError, domainEndpoints, type Endpoints, type NormalizedConfig } from './config.js';
import { getJson } from './http.js';

/**
 * Cognito's endpoints: derived from `domain` with no request, or read once from the pool's
 * discovery document, whose `issuer` must be the configured authority.
 */
export function createEndpoints(cfg: NormalizedConfig): () => Promise<Endpoints> {
  if (cfg.domain) {
    const known = Promise.resolve(domainEndpoints(cfg.domain));
    return () => known;
  }
  let cached: Promise<Endpoints> | null = null;
  const discover = async (): Promise<Endpoints> => {
    const doc = await getJson(`${cfg.authority}/.well-known/openid-configuration`, cfg.timeout);
    if (doc.issuer !== cfg.authority) {
      throw configError('authority', `discovery names issuer "${String(doc.issuer)}", not "${cfg.authority}"`);
    }
    const url = (name: string): string | undefined => (typeof doc[name] === 'string' ? (doc[name] as string) : undefined);
    const authorize = url('authorization_endpoint');
    const token = url('token_endpoint');
    if (!authorize || !token) throw configError('authority', 'discovery lacks authorization_endpoint or token_endpoint');
    // Cognito's hosted-UI domain. Pools made before hosted UIs existed name the issuer's host here:
    // buildSignIn (signin.ts) refuses it, as it refuses a `domain` set to it.
    const derived = domainEndpoints(new URL(authorize).origin);
    return {
      authorize,
      token,
      revoke: url('revocation_endpoint') ?? derived.revoke,
      // Cognito's end_session_endpoint (since 2024) is its /logout, not RP-initiated logout: use /logout.
      logout: derived.logout,
      userInfo: url('userinfo_endpoint') ?? derived.userInfo,
    };
  };
  return () => (cached ??= discover().catch((e: unknown) => {
    cached = null; // a failed discovery is tried again next time
    throw e;
  }));
}
