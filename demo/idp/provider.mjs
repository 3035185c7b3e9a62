// oidc-provider configured to issue what an Amazon Cognito user pool issues.
import { randomUUID } from 'node:crypto';

import { createMemoryAdapter } from './adapter.mjs';
import { authEventIds, idTokenAttributes } from './users.mjs';
import { explainRefusal } from './explain.mjs';
import { renderErrorPage } from './login-page.mjs';

/** Every scope the local pool knows; grants always cover all of them (Cognito has no consent). */
export const ALL_SCOPES = 'openid email phone profile aws.cognito.signin.user.admin';

let loading;
/**
 * oidc-provider warns on import when Node is older than 22 LTS; it runs fine on Node 20.
 * Load it with that one warning filtered out, so the IdP stays quiet.
 */
export function loadOidcProvider() {
  loading ||= (async () => {
    const original = console.warn;
    console.warn = (...args) => {
      if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
      original.apply(console, args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = original;
    }
  })();
  return loading;
}

/** The token whose `authTime`/`grantId` describe the sign-in the current token request comes from. */
function grantSource(ctx) {
  const { entities } = ctx.oidc;
  return entities.RefreshToken ?? entities.AuthorizationCode;
}

async function fullGrant(provider, accountId, clientId, resource) {
  const grant = new provider.Grant({ accountId, clientId });
  grant.addOIDCScope(ALL_SCOPES);
  grant.addResourceScope(resource, ALL_SCOPES);
  await grant.save();
  return grant;
}

/**
 * The storage adapter, with refresh-token rotation as real pools have been seen to do it when
 * `switches.rotationMovesAuthTime` is on: a refresh reports the sign-in as happening now, so the
 * renewed tokens carry a newer auth_time.
 */
function movingAuthTime(Adapter, switches) {
  return class extends Adapter {
    async find(id) {
      const payload = await super.find(id);
      if (payload && this.model === 'RefreshToken' && switches.rotationMovesAuthTime) payload.authTime = Math.floor(Date.now() / 1000);
      return payload;
    }
  };
}

/**
 * @param {object} p
 * @param {import('oidc-provider').default} p.Provider
 * @param {object} p.interactionPolicy oidc-provider's interactionPolicy export
 * @param {string} p.issuer
 * @param {object} p.settings mutable settings (ttls, rotation, cors origins, client)
 * @param {ReturnType<import('./users.mjs').createUserDirectory>} p.users
 * @param {{ idKey: object, accessKey: object }} p.keys private JWKs with kids
 */
export function createProvider({ Provider, interactionPolicy, issuer, settings, users, keys }) {
  const resource = `urn:cognito:userpool:${settings.poolId}`;
  const issuedValues = new WeakMap(); // AccessToken model -> the JWT handed out (for at_hash)
  const originGrants = new Map(); // origin_jti -> grantId, to tell whether a JWT's sign-in was revoked

  const policy = interactionPolicy.base();
  // Cognito does not act on max_age: the app enforces it on auth_time.
  policy.get('login').checks.remove('max_age');
  // Cognito's managed login accepts prompt=select_account; here it needs no page of its own.
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }));

  const configuration = {
    adapter: movingAuthTime(createMemoryAdapter().Adapter, settings.switches),
    clients: [{
      client_id: settings.clientId,
      client_name: 'Local SPA client',
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: settings.redirectUris,
      require_auth_time: true,
      id_token_signed_response_alg: 'RS256',
    }, ...settings.confidentialClients.map((c) => ({
      // A confidential app client (with a secret), as a backend-for-frontend uses. Like Cognito, it
      // takes the secret in the Authorization header or in the body whichever method is registered.
      client_id: c.clientId,
      client_secret: c.clientSecret,
      client_name: `Local confidential client (${c.method})`,
      application_type: 'web',
      token_endpoint_auth_method: c.method,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: settings.redirectUris,
      require_auth_time: true,
      id_token_signed_response_alg: 'RS256',
    }))],
    jwks: { keys: [keys.idKey, keys.accessKey] },
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    responseTypes: ['code'],
    scopes: ALL_SCOPES.split(' '),
    claims: {
      // Cognito puts every readable attribute in the ID token whenever `openid` is granted.
      openid: [
        'sub', 'cognito:username', 'cognito:groups', 'email', 'email_verified', 'name', 'given_name',
        'family_name', 'phone_number', 'phone_number_verified', 'identities', 'token_use', 'jti', 'origin_jti',
        'event_id', 'at_hash',
        ...new Set(users.list.flatMap((u) => Object.keys(u.attributes ?? {}))), // custom attributes
      ],
      email: ['email', 'email_verified'],
      phone: ['phone_number', 'phone_number_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    conformIdTokenClaims: false,
    allowOmittingSingleRegisteredRedirectUri: false,
    pkce: { required: () => true },
    clientBasedCORS: (_ctx, origin) => settings.corsOrigins.has(origin),
    cookies: {
      names: { session: 'cognito', interaction: '_interaction', resume: '_interaction_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: {
      authorization: '/oauth2/authorize',
      token: '/oauth2/token',
      revocation: '/oauth2/revoke',
      // Not Cognito routes; blocked from outside except the ones oidc-provider needs internally.
      userinfo: '/_oidc/me',
      jwks: '/_oidc/jwks',
      end_session: '/_oidc/session/end',
      pushed_authorization_request: '/_oidc/request',
      introspection: '/_oidc/token/introspection',
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      introspection: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: false }, // served by cognito-routes.mjs: it must accept JWT access tokens
      claimsParameter: { enabled: false },
      rpInitiatedLogout: {
        // Only used by oidc-provider itself when a different user signs in over a live session.
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signing out</title></head><body>${form}<script>document.forms[0].submit()</script></body></html>`;
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signed out</title></head><body><p>You have been signed out.</p></body></html>';
        },
      },
      resourceIndicators: {
        enabled: true,
        // Every access token is for the user pool itself: a JWT, like Cognito's.
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: ALL_SCOPES,
          audience: settings.clientId, // removed from the JWT by the customizer below
          accessTokenFormat: 'jwt',
          accessTokenTTL: settings.accessTokenTtl,
          jwt: { sign: { alg: 'RS256', kid: keys.accessKey.kid } },
        }),
      },
    },
    formats: {
      customizers: {
        jwt(_ctx, _token, jwt) {
          // Cognito access tokens have no `aud` and no `typ` header. oidc-provider insists on an
          // audience before signing, so keep it as a non-enumerable property: present for that
          // check, left out of the serialised payload.
          Object.defineProperty(jwt.payload, 'aud', {
            value: jwt.payload.aud, enumerable: false, writable: true, configurable: true,
          });
          jwt.header = { ...jwt.header, typ: undefined };
        },
      },
    },
    ttl: {
      AccessToken: () => settings.accessTokenTtl,
      IdToken: () => settings.idTokenTtl,
      AuthorizationCode: 300,
      RefreshToken: (ctx) => {
        // With rotation a new refresh token keeps the expiry of the one it replaces (oidc-provider's
        // rule for public clients; Cognito does not document this).
        const rotated = ctx?.oidc?.entities?.RotatedRefreshToken;
        return rotated ? Math.max(1, rotated.remainingTTL) : settings.refreshTokenTtl;
      },
      Grant: () => settings.refreshTokenTtl + 24 * 3600,
      Session: () => settings.sessionTtl,
      Interaction: 3600,
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false, // signing out of the hosted UI leaves tokens alone
    rotateRefreshToken: () => settings.rotateRefreshTokens,
    // One grant per sign-in, covering every scope: revoking a refresh token then ends exactly the
    // tokens of that sign-in (Cognito's `origin_jti` family), not those of other tabs or sign-ins.
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      if (!oidc.session.accountId) return undefined;
      // When another user signs in over this session, oidc-provider ends it first; keep that from
      // revoking the previous user's tokens (Cognito never revokes on sign-out).
      oidc.session.ensureClientContainer(oidc.client.clientId);
      oidc.session.authorizationFor(oidc.client.clientId).persistsLogout = true;
      return fullGrant(oidc.provider, oidc.session.accountId, oidc.client.clientId, resource);
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `/login/${interaction.uid}`,
    },
    async findAccount(ctx, sub) {
      const user = users.bySub(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        async claims(use) {
          const claims = { sub, ...idTokenAttributes(user) };
          if (use !== 'id_token') return claims;
          const source = grantSource(ctx);
          const at = ctx.oidc.entities.AccessToken;
          return {
            ...claims,
            token_use: 'id',
            jti: randomUUID(),
            ...(source ? authEventIds(source.grantId, source.authTime) : {}),
            ...(at && issuedValues.has(at) ? { at_hash: issuedValues.get(at) } : {}),
          };
        },
      };
    },
    async extraTokenClaims(ctx, token) {
      if (token.kind !== 'AccessToken') return undefined;
      const user = users.bySub(token.accountId);
      const source = grantSource(ctx);
      const ids = source ? authEventIds(source.grantId, source.authTime) : {};
      if (ids.origin_jti) originGrants.set(ids.origin_jti, source.grantId);
      return {
        token_use: 'access',
        username: user?.username,
        ...(user?.groups.length ? { 'cognito:groups': [...user.groups] } : {}),
        auth_time: source?.authTime,
        ...ids,
        version: 2,
      };
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(out.error, out.error_description, explainRefusal({ ...ctx.query, ...ctx.oidc?.params }, settings, 'authorize'));
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.silent = true; // no Koa error logging on the console

  // at_hash needs the access token as handed out; oidc-provider only computes it for tokens
  // returned from the authorization endpoint. Remember each issued value for the ID token.
  const { AccessToken } = provider;
  const save = AccessToken.prototype.save;
  AccessToken.prototype.save = async function saveAndRemember(...args) {
    const value = await save.apply(this, args);
    issuedValues.set(this, value);
    return value;
  };

  /** Whether the sign-in a token comes from is still live (its refresh token not revoked). */
  async function isOriginLive(originJti) {
    const grantId = originGrants.get(originJti);
    return !!grantId && !!(await provider.Grant.find(grantId));
  }

  return { provider, resource, isOriginLive };
}
