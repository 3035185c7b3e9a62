// Loaded into the demo page by test/e2e/credentials.test.ts (bundled with Vite): AWS SDK v3's S3
// client, with the SDK's getAwsCredentials() as its credentials provider, pointed at the local
// AWS service (demo/idp/aws-service.mjs), which checks every request's SigV4 signature.
import { GetObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

import type { CognitoAuth } from '../../../src/index.js';

const page = window as unknown as {
  demoAuth: CognitoAuth;
  DEMO_CONFIG: { identityPoolId: string; demo: { awsEndpoint: string } };
  awsS3: unknown;
};
const region = page.DEMO_CONFIG.identityPoolId.split(':')[0];
const s3 = (credentials: S3ClientConfig['credentials']) =>
  new S3Client({ region, endpoint: page.DEMO_CONFIG.demo.awsEndpoint, forcePathStyle: true, credentials, maxAttempts: 1 });
const failure = (e: unknown) => `${(e as Error).name} ${(e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode}`;

page.awsS3 = {
  /** Put an object under the user's identity id, read it back. */
  async putAndGet(name: string, text: string): Promise<string> {
    const client = s3(() => page.demoAuth.getAwsCredentials());
    const Key = `${await page.demoAuth.getIdentityId()}/${name}`;
    await client.send(new PutObjectCommand({ Bucket: 'demo', Key, Body: text, ContentType: 'text/plain' }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'demo', Key }));
    return (await got.Body?.transformToString()) ?? '';
  },
  /** Read it with the same credentials, one character of one part changed: the service must refuse. */
  async tampered(name: string, part: 'secretAccessKey' | 'sessionToken'): Promise<string> {
    const real = await page.demoAuth.getAwsCredentials();
    const value = real[part];
    const changed = { ...real, [part]: `${value[0] === 'A' ? 'B' : 'A'}${value.slice(1)}` };
    try {
      await s3(changed).send(new GetObjectCommand({ Bucket: 'demo', Key: `${real.identityId}/${name}` }));
      return 'accepted';
    } catch (e) {
      return failure(e);
    }
  },
};
