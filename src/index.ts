export { createCognitoAuth } from './client.js';
export { AuthError, isAuthError, isUserRefusal } from './errors.js';
export type { AuthErrorCode, AuthErrorDetails } from './errors.js';
export type {
  AuthActions,
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
  InitResult,
  Prompt,
  SignInOptions,
  SignOutOptions,
  SignOutReason,
  StorageLike,
  TokenValidationAlgorithm,
  User,
} from './types.js';
export { fromOpenMetadataConfig } from './openmetadata.js';
export type { OpenMetadataAuthenticationConfiguration, OpenMetadataAuthorizerConfiguration, OpenMetadataOidcConfiguration, OpenMetadataOptions } from './openmetadata.js';
