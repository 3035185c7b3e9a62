// The local identity pool (demo/idp/identity.mjs) and the local AWS service that checks SigV4
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'; // the S3 client's notice about Node 20
// (demo/idp/aws-service.mjs), driven from Node: plain fetch for Cognito Identity, AWS SDK v3's
// S3 client for the service.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LocalIdp } from '../../demo/idp/server.mjs';
import { Browser, exchange, signIn, start } from './harness.js';

const ROLE = 'arn:aws:iam::000000000000:role/Readers';
type Creds = { AccessKeyId: string; SecretKey: string; SessionToken: string; Expiration: number };

async function call(idp: LocalIdp, action: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(idp.identityEndpoint as string, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityService.${action}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

async function idTokenOf(idp: LocalIdp, username: string): Promise<string> {
  const { body } = await exchange(idp, await signIn(idp, new Browser(), username));
  return body.id_token as string;
}

describe('local identity pool and AWS service', () => {
  let idp: LocalIdp;
  let provider: string;
  let alice: string;

  beforeAll(async () => {
    idp = await start({ customRoleArns: [ROLE] });
    provider = idp.issuer.replace('http://', '');
    alice = await idTokenOf(idp, 'alice');
  });
  afterAll(async () => {
    await idp.stop();
  });

  it('GetId: one identity id per user, in the pool region', async () => {
    expect(idp.identityPoolId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    const a = await call(idp, 'GetId', { IdentityPoolId: idp.identityPoolId, Logins: { [provider]: alice } });
    expect(a.status).toBe(200);
    expect(a.body.IdentityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    const again = await call(idp, 'GetId', { IdentityPoolId: idp.identityPoolId, Logins: { [provider]: alice } });
    expect(again.body.IdentityId).toBe(a.body.IdentityId);
    const bob = await call(idp, 'GetId', { IdentityPoolId: idp.identityPoolId, Logins: { [provider]: await idTokenOf(idp, 'bob') } });
    expect(bob.body.IdentityId).not.toBe(a.body.IdentityId);
    expect(a.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('GetCredentialsForIdentity: temporary credentials with an expiry, a custom role only when allowed', async () => {
    const { body: { IdentityId } } = await call(idp, 'GetId', { IdentityPoolId: idp.identityPoolId, Logins: { [provider]: alice } });
    const res = await call(idp, 'GetCredentialsForIdentity', { IdentityId, Logins: { [provider]: alice } });
    expect(res.status).toBe(200);
    const c = res.body.Credentials as Record<string, unknown>;
    expect(c).toEqual({ AccessKeyId: expect.stringMatching(/^ASIA[0-9A-F]{16}$/), SecretKey: expect.any(String), SessionToken: expect.any(String), Expiration: expect.any(Number) });
    expect(Math.abs((c.Expiration as number) - (Date.now() / 1000 + 3600))).toBeLessThan(5);
    expect((await call(idp, 'GetCredentialsForIdentity', { IdentityId, Logins: { [provider]: alice }, CustomRoleArn: ROLE })).status).toBe(200);
    const other = await call(idp, 'GetCredentialsForIdentity', { IdentityId, Logins: { [provider]: alice }, CustomRoleArn: 'arn:aws:iam::000000000000:role/Admins' });
    expect(other.body.__type).toBe('InvalidParameterException');
  });

  it('checks the Logins token as Cognito does and answers AWS error shapes', async () => {
    const pool = idp.identityPoolId;
    const { body: { IdentityId } } = await call(idp, 'GetId', { IdentityPoolId: pool, Logins: { [provider]: alice } });
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'x', token_use: 'id', aud: idp.clientId }).setProtectedHeader({ alg: 'RS256', kid: 'k' })
      .setIssuer(idp.issuer).setIssuedAt().setExpirationTime('1h').sign(privateKey);
    const [header, payload] = alice.split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    const altered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${alice.split('.')[2]}`;
    const { body: tokens } = await exchange(idp, await signIn(idp, new Browser(), 'alice'));
    const cases: Array<[string, Promise<{ status: number; body: Record<string, unknown> }>, string, RegExp]> = [
      ['unknown pool', call(idp, 'GetId', { IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000', Logins: { [provider]: alice } }), 'ResourceNotFoundException', /IdentityPool .* not found/],
      ['no login', call(idp, 'GetId', { IdentityPoolId: pool }), 'NotAuthorizedException', /Unauthenticated access is not supported/],
      ['another provider', call(idp, 'GetId', { IdentityPoolId: pool, Logins: { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Other': alice } }), 'NotAuthorizedException', /not from a supported provider/],
      ['a forged token', call(idp, 'GetId', { IdentityPoolId: pool, Logins: { [provider]: forged } }), 'NotAuthorizedException', /Couldn't verify signed token/],
      ['an altered token', call(idp, 'GetId', { IdentityPoolId: pool, Logins: { [provider]: altered } }), 'NotAuthorizedException', /Couldn't verify signed token/],
      ['an access token', call(idp, 'GetId', { IdentityPoolId: pool, Logins: { [provider]: tokens.access_token } }), 'NotAuthorizedException', /Incorrect token audience/],
      ['an unknown identity', call(idp, 'GetCredentialsForIdentity', { IdentityId: 'us-east-1:00000000-0000-0000-0000-000000000000', Logins: { [provider]: alice } }), 'ResourceNotFoundException', /Identity .* not found/],
      ['another user’s identity', call(idp, 'GetCredentialsForIdentity', { IdentityId, Logins: { [provider]: await idTokenOf(idp, 'bob') } }), 'NotAuthorizedException', /Logins don't match/],
      ['an unknown action', call(idp, 'ListIdentities', {}), 'UnknownOperationException', /Unknown operation/],
      ['JSON 1.0', call(idp, 'GetId', { IdentityPoolId: pool, Logins: { [provider]: alice } }, { 'Content-Type': 'application/json' }), 'SerializationException', /x-amz-json-1\.1/],
    ];
    for (const [name, reply, type, message] of cases) {
      const { status, body } = await reply;
      expect({ name, status, type: body.__type }).toEqual({ name, status: 400, type });
      expect(body.message).toMatch(message);
    }
  });

  it('refuses an expired ID token', async () => {
    idp.setTokenLifetime(1);
    try {
      const token = await idTokenOf(idp, 'alice');
      await new Promise((r) => setTimeout(r, 1100));
      const res = await call(idp, 'GetId', { IdentityPoolId: idp.identityPoolId, Logins: { [provider]: token } });
      expect(res.body).toMatchObject({ __type: 'NotAuthorizedException', message: expect.stringMatching(/Token expired/) });
    } finally {
      idp.setTokenLifetime(3600);
    }
  });

  describe('the AWS service accepts SigV4 requests made with the pool credentials, and nothing else', () => {
    let creds: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date };
    let prefix: string;
    const s3 = (c: typeof creds) => new S3Client({ region: 'us-east-1', endpoint: idp.awsEndpoint, forcePathStyle: true, credentials: c, maxAttempts: 1 });
    const fail = (c: typeof creds, key = `${prefix}/note.txt`) =>
      s3(c).send(new GetObjectCommand({ Bucket: 'demo', Key: key })).then(() => null, (e: { name: string; $metadata: { httpStatusCode?: number } }) => [e.name, e.$metadata.httpStatusCode]);

    beforeAll(async () => {
      const { body: { IdentityId } } = await call(idp, 'GetId', { IdentityPoolId: idp.identityPoolId, Logins: { [provider]: alice } });
      const c = (await call(idp, 'GetCredentialsForIdentity', { IdentityId, Logins: { [provider]: alice } })).body.Credentials as Creds;
      creds = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken, expiration: new Date(c.Expiration * 1000) };
      prefix = IdentityId as string;
    });

    it('puts and gets an object under the identity id', async () => {
      const client = s3(creds);
      await client.send(new PutObjectCommand({ Bucket: 'demo', Key: `${prefix}/note.txt`, Body: 'hello from the identity pool', ContentType: 'text/plain' }));
      const got = await client.send(new GetObjectCommand({ Bucket: 'demo', Key: `${prefix}/note.txt` }));
      expect(await got.Body?.transformToString()).toBe('hello from the identity pool');
      expect(got.ContentType).toBe('text/plain');
    });

    it('refuses tampered credentials, foreign keys and unsigned requests', async () => {
      const before = idp.identityCounts?.refused ?? 0;
      // One character changed, always to another one (a random value may already hold the new one).
      const changed = (v: string, i: number): string => `${v.slice(0, i)}${v[i] === 'A' ? 'B' : 'A'}${v.slice(i + 1)}`;
      expect(await fail({ ...creds, secretAccessKey: changed(creds.secretAccessKey, creds.secretAccessKey.length - 1) })).toEqual(['SignatureDoesNotMatch', 403]);
      expect(await fail({ ...creds, sessionToken: changed(creds.sessionToken, 0) })).toEqual(['InvalidToken', 403]);
      expect(await fail({ ...creds, accessKeyId: 'ASIA0000000000000000' })).toEqual(['InvalidAccessKeyId', 403]);
      expect(await fail(creds, 'someone-else/note.txt')).toEqual(['AccessDenied', 403]);
      const unsigned = await fetch(`${idp.awsEndpoint}/demo/${prefix}/note.txt`);
      expect(unsigned.status).toBe(403);
      expect(await unsigned.text()).toContain('<Code>AccessDenied</Code>');
      expect((idp.identityCounts?.refused ?? 0) - before).toBe(5);
    });

    it('refuses expired credentials', async () => {
      idp.setCredentialsLifetime?.(1);
      try {
        const { body: { IdentityId } } = await call(idp, 'GetId', { IdentityPoolId: idp.identityPoolId, Logins: { [provider]: alice } });
        const c = (await call(idp, 'GetCredentialsForIdentity', { IdentityId, Logins: { [provider]: alice } })).body.Credentials as Creds;
        await new Promise((r) => setTimeout(r, 1100));
        expect(await fail({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken, expiration: new Date(Date.now() + 3600_000) })).toEqual(['ExpiredToken', 400]);
      } finally {
        idp.setCredentialsLifetime?.(3600);
      }
    });
  });

  it("speaks Cognito Identity's protocol as AWS SDK v3's own fromCognitoIdentityPool expects it", async () => {
    const credentials = fromCognitoIdentityPool({
      clientConfig: { region: 'us-east-1', endpoint: idp.identityEndpoint },
      identityPoolId: idp.identityPoolId as string,
      logins: { [provider]: async () => alice },
    });
    const c = await credentials();
    expect(c.identityId).toMatch(/^us-east-1:/);
    expect(c.expiration?.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    const s3 = new S3Client({ region: 'us-east-1', endpoint: idp.awsEndpoint, forcePathStyle: true, credentials, maxAttempts: 1 });
    await s3.send(new PutObjectCommand({ Bucket: 'demo', Key: `${c.identityId}/from-aws-provider.txt`, Body: 'ok' }));
    const refused = fromCognitoIdentityPool({ clientConfig: { region: 'us-east-1', endpoint: idp.identityEndpoint }, identityPoolId: idp.identityPoolId as string, logins: { [provider]: 'not-a-token' } });
    await expect(refused()).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('can be left out', async () => {
    expect(idp.identityEndpoint).toBe(`${new URL(idp.issuer).origin}/`);
    const plain = await start({ identityPool: false });
    try {
      expect(plain.identityEndpoint).toBeUndefined();
      expect(plain.awsEndpoint).toBeUndefined();
    } finally {
      await plain.stop();
    }
  });
});
