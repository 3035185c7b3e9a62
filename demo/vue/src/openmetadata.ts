/**
 * What a stock OpenMetadata server set up for this Cognito pool (a public app client) serves a
 * browser: its `/api/v1/system/config/auth` reply (responseType id_token, callbackUrl "", its own
 * key set beside Cognito's) and its `/api/v1/system/config/authorizer` reply, which holds only
 * principalDomain. An app beside OpenMetadata fetches both; here they are written out.
 */
export function stockReplies(pool: { authority: string; clientId: string }): [auth: Record<string, unknown>, authorizer: Record<string, unknown>] {
  const auth = {
    provider: 'aws-cognito',
    providerName: '',
    clientType: 'public',
    enableSelfSignup: true,
    enableAutoRedirect: false,
    jwtPrincipalClaims: ['email', 'cognito:username', 'sub'],
    jwtPrincipalClaimsMapping: [],
    clientId: pool.clientId,
    authority: pool.authority,
    callbackUrl: '',
    responseType: 'id_token',
    publicKeyUrls: [`${pool.authority}/.well-known/jwks.json`, 'http://openmetadata:8585/api/v1/system/config/jwks'],
    tokenValidationAlgorithm: 'RS256',
    oidcConfiguration: null,
    samlConfiguration: null,
    ldapConfiguration: null,
  };
  return [auth, { principalDomain: 'example.com' }];
}
