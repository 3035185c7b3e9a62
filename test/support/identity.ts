/**
 * A Cognito identity pool for unit tests, behind msw: `GetId` and `GetCredentialsForIdentity` on
 * https://cognito-identity.us-east-1.amazonaws.com/, checking the `Logins` ID token as Cognito
 * does (signature by the user pool's keys, iss, aud = the app client, not expired) and answering
 * AWS's JSON 1.1 shapes, errors included.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { http, HttpResponse, type HttpHandler } from 'msw';

import { AUTHORITY, CLIENT_ID, type CognitoMock } from './cognito.js';

export const IDENTITY_POOL_ID = 'us-east-1:0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e';
export const IDENTITY_ENDPOINT = 'https://cognito-identity.us-east-1.amazonaws.com/';
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/Cognito_TestAuth_Role';
const PROVIDER = AUTHORITY.replace('https://', '');

interface Call {
  action: string;
  url: string;
  body: Record<string, unknown>;
}

export function createIdentityPool(cognito: CognitoMock, opts: { lifetime?: number } = {}) {
  const keys = createLocalJWKSet({ keys: cognito.pool.keys.map((k) => k.jwk) });
  const identities = new Map<string, string>(); // identity id -> sub
  const pool = {
    counts: { getId: 0, credentials: 0 },
    calls: [] as Call[],
    /** Seconds the credentials live. */
    lifetime: opts.lifetime ?? 3600,
    roles: [ROLE_ARN],
    /** Replies played instead of the real ones, in order (then the real ones again). */
    replies: [] as Array<() => Response | Promise<Response>>,
    /** Forget every identity (as if they were deleted from the pool). */
    deleteIdentities: () => identities.clear(),
    /** The credentials handed out, by access key id. */
    issued: new Map<string, { identityId: string; expiration: number; role: string | undefined }>(),
  };

  const error = (type: string, message: string, status = 400) =>
    HttpResponse.json({ __type: type, message }, { status, headers: { 'x-amzn-ErrorType': `${type}:http://internal.amazon.com/` } });

  /** The user (`sub`) of valid Logins, or an error reply. */
  async function login(logins: unknown): Promise<string | Response> {
    const token = (logins as Record<string, unknown> | undefined)?.[PROVIDER];
    if (typeof token !== 'string') return error('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: AUTHORITY, audience: CLIENT_ID, algorithms: ['RS256'] });
      if (payload.token_use !== 'id') throw new Error('not an ID token');
      return payload.sub as string;
    } catch (e) {
      const expired = (e as { code?: string }).code === 'ERR_JWT_EXPIRED';
      return error('NotAuthorizedException', expired ? 'Invalid login token. Token expired.' : 'Invalid login token.');
    }
  }

  const handlers: HttpHandler[] = [
    http.post(IDENTITY_ENDPOINT, async ({ request }) => {
      const action = (request.headers.get('x-amz-target') ?? '').replace('AWSCognitoIdentityService.', '');
      const body = (await request.json()) as Record<string, unknown>;
      pool.calls.push({ action, url: request.url, body });
      if (action === 'GetId') pool.counts.getId++;
      if (action === 'GetCredentialsForIdentity') pool.counts.credentials++;
      const override = pool.replies.shift();
      if (override) return override();
      if (request.headers.get('content-type') !== 'application/x-amz-json-1.1') return error('SerializationException', 'Bad content type');
      const sub = await login(body.Logins);
      if (sub instanceof Response) return sub;
      if (action === 'GetId') {
        if (body.IdentityPoolId !== IDENTITY_POOL_ID) return error('ResourceNotFoundException', `IdentityPool '${String(body.IdentityPoolId)}' not found.`);
        let id = [...identities].find(([, s]) => s === sub)?.[0];
        if (!id) identities.set((id = `us-east-1:${randomUUID()}`), sub);
        return HttpResponse.json({ IdentityId: id });
      }
      if (action === 'GetCredentialsForIdentity') {
        const id = String(body.IdentityId);
        if (!identities.has(id)) return error('ResourceNotFoundException', `Identity '${id}' not found.`);
        if (identities.get(id) !== sub) return error('NotAuthorizedException', "Logins don't match. Please include at least one valid login for this identity or identity pool.");
        const role = body.CustomRoleArn as string | undefined;
        if (role !== undefined && !pool.roles.includes(role)) return error('NotAuthorizedException', 'The role is not allowed.');
        const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
        const expiration = Math.floor(Date.now() / 1000) + pool.lifetime;
        pool.issued.set(accessKeyId, { identityId: id, expiration, role });
        return HttpResponse.json({
          IdentityId: id,
          Credentials: { AccessKeyId: accessKeyId, SecretKey: randomBytes(30).toString('base64'), SessionToken: randomBytes(60).toString('base64'), Expiration: expiration },
        });
      }
      return error('UnknownOperationException', 'Unknown operation');
    }),
  ];

  return { pool, handlers, error };
}

export type IdentityPoolMock = ReturnType<typeof createIdentityPool>;
