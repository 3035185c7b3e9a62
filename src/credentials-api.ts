/**
 * Cognito Identity's two public calls, `GetId` and `GetCredentialsForIdentity`: unsigned AWS JSON
 * 1.1 POSTs (no SigV4, no AWS SDK), their errors typed.
 */
import type { NormalizedConfig } from './config.js';
import { AuthError } from './errors.js';
import { request } from './http.js';

/**
 * Cognito Identity in the pool's region; with an http `authority` (allowed on loopback only: a
 * local IdP such as demo/idp or LocalStack, which serve every API on one origin), its origin.
 */
export function identityEndpoint(cfg: NormalizedConfig): string {
  const authority = new URL(cfg.authority);
  if (authority.protocol === 'http:') return `${authority.origin}/`;
  const region = (cfg.identityPoolId as string).split(':')[0] as string;
  return `https://cognito-identity.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`;
}

/**
 * POST `action` to Cognito Identity ({@link identityEndpoint}) and resolve its JSON reply. A refusal is
 * `identity_pool_refused`; throttling (`TooManyRequestsException`, `LimitExceededException`), AWS's
 * internal faults, a 5xx or no usable answer are `network_error`. Both keep the AWS error type.
 */
export async function callIdentity(cfg: NormalizedConfig, action: 'GetId' | 'GetCredentialsForIdentity', body: object): Promise<Record<string, unknown>> {
  const res = await request(
    identityEndpoint(cfg),
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityService.${action}` },
      body: JSON.stringify(body),
      credentials: 'omit',
    },
    cfg.timeout,
  );
  const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.ok && json) return json;
  // `__type` is `NotAuthorizedException`, or the same with a namespace before a '#'.
  const awsError = String(json?.__type ?? '').split('#').pop() || undefined;
  const what = `${action} answered ${res.status} ${awsError ?? ''}: ${String(json?.message ?? '')}`;
  const details = { status: res.status, awsError };
  if (res.ok || res.status >= 500 || res.status === 429 || /^(TooMany|Limit|Internal|External)/.test(awsError ?? '')) {
    throw new AuthError('network_error', what, details);
  }
  throw new AuthError('identity_pool_refused', `the identity pool refused the login: ${what}`, details);
}
