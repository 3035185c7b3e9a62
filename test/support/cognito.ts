/**
 * A Cognito user pool for unit tests, behind msw: an issuer host (discovery, JWKS) and a
 * hosted-UI host (/oauth2/token, /oauth2/revoke), tokens really signed with jose, PKCE
 * checked, codes single-use, refresh tokens (optionally rotated) and invalid_grant.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { SignJWT, exportJWK, generateKeyPair, base64url, type JWK, type CryptoKey } from 'jose';
import { createHash, randomBytes } from 'node:crypto';

export const AUTHORITY = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool';
export const DOMAIN = 'https://test-app.auth.us-east-1.amazoncognito.com';
export const CLIENT_ID = 'test-client-id';
export const APP = 'https://app.example.com';
export const CALLBACK = `${APP}/callback`;

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function makeKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface UserProfile {
  sub: string;
  'cognito:username': string;
  email?: string;
  'cognito:groups'?: string[];
  [claim: string]: unknown;
}

export const ALICE: UserProfile = {
  sub: '11111111-aaaa-bbbb-cccc-000000000001',
  'cognito:username': 'alice',
  email: 'alice@example.com',
  email_verified: true,
  name: 'Alice Admin',
  given_name: 'Alice',
  'cognito:groups': ['admins', 'readers'],
};

/**
 * A user federated from Google: `identities` as a JSON string (an array in most tokens; Google's
 * `issuer` is null), the automatic group `{poolId}_Google`, and Cognito's generated user name.
 */
export const GOOGLE_USER: UserProfile = {
  sub: '22222222-aaaa-bbbb-cccc-000000000002',
  'cognito:username': 'google_102934857610293847561',
  email: 'Carol.Jones@Example.com',
  email_verified: true,
  'cognito:groups': ['us-east-1_TestPool_Google'],
  identities: JSON.stringify([{ userId: '102934857610293847561', providerName: 'Google', providerType: 'Google', issuer: null, primary: 'true', dateCreated: '1700000000000' }]),
};

interface CodeGrant {
  challenge: string;
  redirectUri: string;
  nonce?: string;
  scope: string;
  user: UserProfile;
  authTime: number;
}

interface RefreshGrant {
  user: UserProfile;
  authTime: number;
  scope: string;
  alive: boolean;
}

const now = (): number => Math.floor(Date.now() / 1000);
const s256 = (v: string): string => base64url.encode(createHash('sha256').update(v).digest());

export type Tamper = {
  /** Claims merged into (or, with undefined, removed from) the next ID / access tokens. */
  id?: Record<string, unknown>;
  access?: Record<string, unknown>;
  /** Replace the signed token string entirely. */
  idToken?: (signed: string) => string;
  accessToken?: (signed: string) => string;
  /** Sign with this key instead of the pool's. */
  idKey?: SigningKey;
  idHeader?: Record<string, unknown>;
};

export async function createCognito(opts: { rotate?: boolean; lifetime?: number; alg?: string; issuers?: string[] } = {}) {
  const alg = opts.alg ?? 'RS256';
  const idKey = await makeKey('id-key-1', alg);
  const accessKey = await makeKey('access-key-1', alg);
  const pool = {
    keys: [idKey, accessKey],
    codes: new Map<string, CodeGrant>(),
    refresh: new Map<string, RefreshGrant>(),
    counts: { token: 0, refresh: 0, jwks: 0, discovery: 0, revoke: 0 },
    lifetime: opts.lifetime ?? 3600,
    /** The ID token's lifetime when it differs from the access token's (Cognito sets them apart). */
    idLifetime: null as number | null,
    rotate: opts.rotate ?? false,
    /** The app client's allowed callback URLs: Cognito compares `redirect_uri` with them as strings, exactly. */
    callbackUrls: [CALLBACK],
    /** Rotation as Cognito has been seen to do it: a refresh moves auth_time to now. */
    moveAuthTimeOnRefresh: false,
    /** The issuer minted into tokens: the pool's, or one of `issuers` (a Multi-Region replica). */
    issuer: AUTHORITY,
    /** How many seconds the browser's clock is ahead of Cognito's (the pool mints on its own clock). */
    browserAhead: 0,
    /** An app client without refresh tokens. */
    issueRefresh: true,
    /** Changes applied to every token minted until cleared. */
    tamper: {} as Tamper,
    /** When set, the next token request answers this instead (then it is cleared). */
    nextTokenReply: null as null | (() => Response | Promise<Response>),
    tokenReplies: [] as Array<() => Response | Promise<Response>>,
  };

  async function sign(claims: Record<string, unknown>, key: SigningKey, header: Record<string, unknown> = {}): Promise<string> {
    const clean = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
    return new SignJWT(clean).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);
  }

  async function mint(user: UserProfile, authTime: number, scope: string, nonce?: string) {
    const t = now() - pool.browserAhead;
    const access = {
      sub: user.sub, iss: pool.issuer, client_id: CLIENT_ID, token_use: 'access', scope, auth_time: authTime,
      iat: t, exp: t + pool.lifetime, jti: randomBytes(8).toString('hex'), username: user['cognito:username'],
      'cognito:groups': user['cognito:groups'], ...pool.tamper.access,
    };
    let accessToken = await sign(access, accessKey);
    if (pool.tamper.accessToken) accessToken = pool.tamper.accessToken(accessToken);
    const digest = createHash(`sha${alg.slice(2)}`).update(accessToken).digest();
    const id = {
      ...user, aud: CLIENT_ID, iss: pool.issuer, token_use: 'id', auth_time: authTime, iat: t, exp: t + (pool.idLifetime ?? pool.lifetime),
      nonce, at_hash: base64url.encode(digest.subarray(0, digest.length / 2)), jti: randomBytes(8).toString('hex'),
      ...pool.tamper.id,
    };
    let idToken = await sign(id, pool.tamper.idKey ?? idKey, pool.tamper.idHeader);
    if (pool.tamper.idToken) idToken = pool.tamper.idToken(idToken);
    return { idToken, accessToken };
  }

  const oauthError = (error: string, status = 400) => HttpResponse.json({ error }, { status });

  const handlers: HttpHandler[] = [
    http.get(`${AUTHORITY}/.well-known/openid-configuration`, () => {
      pool.counts.discovery++;
      return HttpResponse.json({
        issuer: AUTHORITY,
        authorization_endpoint: `${DOMAIN}/oauth2/authorize`,
        token_endpoint: `${DOMAIN}/oauth2/token`,
        userinfo_endpoint: `${DOMAIN}/oauth2/userInfo`,
        revocation_endpoint: `${DOMAIN}/oauth2/revoke`,
        end_session_endpoint: `${DOMAIN}/logout`,
        jwks_uri: `${AUTHORITY}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'token'],
        scopes_supported: ['openid', 'email', 'phone', 'profile'],
      });
    }),
    ...[AUTHORITY, ...(opts.issuers ?? [])].map((issuer) =>
      http.get(`${issuer}/.well-known/jwks.json`, () => {
        pool.counts.jwks++;
        return HttpResponse.json({ keys: pool.keys.map((k) => k.jwk) });
      }),
    ),
    http.post(`${DOMAIN}/oauth2/token`, async ({ request }) => {
      pool.counts.token++;
      const override = pool.nextTokenReply ?? pool.tokenReplies.shift();
      pool.nextTokenReply = null;
      const form = new URLSearchParams(await request.text());
      if (form.get('client_id') !== CLIENT_ID) return oauthError('invalid_client');
      if (form.has('client_secret')) return oauthError('invalid_client');
      if (override) return override();
      if (form.get('grant_type') === 'authorization_code') {
        const grant = pool.codes.get(form.get('code') ?? '');
        pool.codes.delete(form.get('code') ?? ''); // single use
        if (!grant) return oauthError('invalid_grant');
        if (grant.redirectUri !== form.get('redirect_uri')) return oauthError('invalid_grant');
        if (s256(form.get('code_verifier') ?? '') !== grant.challenge) return oauthError('invalid_grant');
        const tokens = await mint(grant.user, grant.authTime, grant.scope, grant.nonce);
        const refreshToken = pool.issueRefresh ? randomBytes(24).toString('hex') : undefined;
        if (refreshToken) pool.refresh.set(refreshToken, { user: grant.user, authTime: grant.authTime, scope: grant.scope, alive: true });
        return HttpResponse.json({ id_token: tokens.idToken, access_token: tokens.accessToken, refresh_token: refreshToken, expires_in: pool.lifetime, token_type: 'Bearer' });
      }
      if (form.get('grant_type') === 'refresh_token') {
        pool.counts.refresh++;
        const rt = form.get('refresh_token') ?? '';
        const grant = pool.refresh.get(rt);
        if (!grant?.alive) return oauthError('invalid_grant');
        if (pool.moveAuthTimeOnRefresh) grant.authTime = now() - pool.browserAhead;
        const tokens = await mint(grant.user, grant.authTime, grant.scope);
        const reply: Record<string, unknown> = { id_token: tokens.idToken, access_token: tokens.accessToken, expires_in: pool.lifetime, token_type: 'Bearer' };
        if (pool.rotate) {
          grant.alive = false;
          const next = randomBytes(24).toString('hex');
          pool.refresh.set(next, { ...grant, alive: true });
          reply.refresh_token = next;
        }
        return HttpResponse.json(reply);
      }
      return oauthError('unsupported_grant_type');
    }),
    http.post(`${DOMAIN}/oauth2/revoke`, async ({ request }) => {
      pool.counts.revoke++;
      const form = new URLSearchParams(await request.text());
      if (form.get('client_id') !== CLIENT_ID) return oauthError(form.has('client_id') ? 'invalid_client' : 'invalid_request');
      const token = form.get('token') ?? '';
      // Cognito revokes refresh tokens only: an access token (a JWT here) is unsupported_token_type.
      if (token.split('.').length === 3) return oauthError('unsupported_token_type');
      const grant = pool.refresh.get(token);
      if (grant) grant.alive = false;
      return new HttpResponse(null, { status: 200 });
    }),
  ];

  /**
   * Play the hosted UI: accept the authorize URL the SDK navigated to, sign `user` in, and
   * return the callback URL Cognito would redirect to.
   */
  function authorize(authorizeUrl: string, user: UserProfile = ALICE, authTime = now() - pool.browserAhead): string {
    const u = new URL(authorizeUrl);
    const p = u.searchParams;
    // Cognito shows its error page (no redirect) for a redirect_uri that is not an allowed callback URL.
    if (!pool.callbackUrls.includes(p.get('redirect_uri') ?? '')) throw new Error(`redirect_mismatch: ${p.get('redirect_uri')}`);
    const code = randomBytes(16).toString('hex');
    pool.codes.set(code, {
      challenge: p.get('code_challenge') ?? '',
      redirectUri: p.get('redirect_uri') ?? '',
      nonce: p.get('nonce') ?? undefined,
      scope: p.get('scope') ?? '',
      user,
      authTime,
    });
    const back = new URL(p.get('redirect_uri') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', p.get('state') ?? '');
    return back.href;
  }

  return { pool, handlers, authorize, mint, sign, idKey, accessKey };
}

export type CognitoMock = Awaited<ReturnType<typeof createCognito>>;
