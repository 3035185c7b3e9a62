// Type test, checked by `npm run typecheck` (tsc covers test/), never run: getAwsCredentials() is
// an AWS SDK for JavaScript v3 credentials provider as it is. The AWS SDK is a devDependency only.
import { S3Client } from '@aws-sdk/client-s3';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

import { createCognitoAuth, type AwsCredentials } from '../../src/index.js';

const auth = createCognitoAuth({
  authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF',
  clientId: 'client',
  callbackUrl: 'https://app.example.com/callback',
  identityPoolId: 'us-east-1:0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e',
});

export const provider: AwsCredentialIdentityProvider = () => auth.getAwsCredentials();
export const forced: AwsCredentialIdentityProvider = () => auth.getAwsCredentials({ forceRefresh: true });
export const identity: AwsCredentialIdentity = {} as AwsCredentials;
export const s3 = new S3Client({ region: 'us-east-1', credentials: () => auth.getAwsCredentials() });
export const prefix: Promise<string> = auth.getIdentityId();

// The checks above can fail: a provider of something else is refused.
// @ts-expect-error a string is not AWS credentials
export const wrong: AwsCredentialIdentityProvider = () => auth.getIdToken();
// @ts-expect-error AwsCredentials carries the expiration as a Date, not epoch seconds
export const wrongExpiration: AwsCredentials = { accessKeyId: 'a', secretAccessKey: 's', sessionToken: 't', expiration: 0, identityId: 'i' };

// The README's recipe with AWS's own provider: the ID token as its login, renewed by the SDK.
export const awsProvider: AwsCredentialIdentityProvider = fromCognitoIdentityPool({
  clientConfig: { region: 'us-east-1' },
  identityPoolId: 'us-east-1:0f1e2d3c-4b5a-4968-8778-695a4b3c2d1e',
  logins: { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_ABC123DEF': () => auth.getIdToken() },
});
