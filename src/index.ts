export { createCognitoAuth } from './client.js';
export { AuthError, isAuthError } from './errors.js';
export type { AuthErrorCode, AuthErrorDetails } from './errors.js';
export type {
  AuthEventMap,
  AuthEventName,
  AuthState,
  AuthStatus,
  AwsCredentials,
  CallbackResult,
  CognitoAuth,
  CognitoAuthConfig,
  GetAccessTokenOptions,
  GetAwsCredentialsOptions,
  Prompt,
  SignInOptions,
  SignOutOptions,
  SignOutReason,
  StorageLike,
  TokenValidationAlgorithm,
  User,
} from './types.js';
export { fromOpenMetadataConfig } from './openmetadata.js';
export type { OpenMetadataAuthenticationConfiguration, OpenMetadataAuthorizerConfiguration, OpenMetadataOidcConfiguration } from './openmetadata.js';
