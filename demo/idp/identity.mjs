// A local Cognito identity pool: Cognito Identity's GetId and GetCredentialsForIdentity (AWS JSON
// 1.1, unsigned, POST / with X-Amz-Target), checking the Logins token as Cognito does, and
// issuing temporary credentials that the local AWS service (aws-service.mjs) accepts.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';

import { createLocalJWKSet, jwtVerify } from 'jose';

import { awsServiceHandler } from './aws-service.mjs';
import { listen } from './listen.mjs';

const TARGET = 'AWSCognitoIdentityService.';
const MAX_BODY = 64 * 1024;

/** An AWS JSON 1.1 error, as Cognito Identity answers it. */
class AwsError extends Error {
  constructor(type, message, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}
const refused = (message) => new AwsError('NotAuthorizedException', message);

function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'x-amzn-RequestId, x-amzn-ErrorType',
    'x-amzn-RequestId': randomUUID(),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new AwsError('InvalidParameterException', 'Request too large');
    chunks.push(chunk);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (body && typeof body === 'object' && !Array.isArray(body)) return body;
  } catch {
    /* below */
  }
  throw new AwsError('SerializationException', 'The request body is not a JSON object');
}

/**
 * The Cognito Identity endpoint of one identity pool whose only provider is the local user pool.
 *
 * @param {object} p
 * @param {string} p.identityPoolId `{region}:{uuid}`
 * @param {string} p.issuer the user pool's issuer (its provider name is the issuer without scheme)
 * @param {string[]} p.clientIds app clients configured on the identity pool (the accepted `aud`)
 * @param {{ keys: object[] }} p.publicJwks the user pool's public keys
 * @param {{ credentialsTtl: number, roleArn: string, customRoleArns: string[] }} p.settings mutable
 * @param {Map<string, object>} p.issued access key id -> { secretAccessKey, sessionToken, expiration (ms), identityId, roleArn }
 * @param {{ getId: number, getCredentialsForIdentity: number }} p.counts
 * @param {(...args: unknown[]) => void} p.log
 */
export function identityPoolHandler({ identityPoolId, issuer, clientIds, publicJwks, settings, issued, counts, log }) {
  const region = identityPoolId.split(':')[0];
  const provider = issuer.replace(/^https?:\/\//, '');
  const keySet = createLocalJWKSet(publicJwks);
  const identities = new Map(); // identity id -> `${provider} ${sub}`
  const byLogin = new Map(); // `${provider} ${sub}` -> identity id

  /** The user a `Logins` map stands for, checked as Cognito checks it, or an AwsError. */
  async function login(logins) {
    if (!logins || typeof logins !== 'object' || Object.keys(logins).length === 0) {
      throw refused('Unauthenticated access is not supported for this identity pool.');
    }
    const entries = Object.entries(logins);
    if (entries.length !== 1 || entries[0][0] !== provider) throw refused('Token is not from a supported provider of this identity pool.');
    const token = entries[0][1];
    if (typeof token !== 'string') throw new AwsError('InvalidParameterException', 'Logins values must be strings');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keySet, { algorithms: ['RS256'], clockTolerance: 0 }));
    } catch (err) {
      if (err?.code === 'ERR_JWT_EXPIRED') {
        throw refused(`Invalid login token. Token expired: ${Math.floor(Date.now() / 1000)} >= ${err.payload?.exp}`);
      }
      throw refused("Invalid login token. Couldn't verify signed token.");
    }
    if (payload.iss !== issuer) throw refused("Invalid login token. Issuer doesn't match providerName");
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.some((a) => clientIds.includes(a))) throw refused('Invalid login token. Incorrect token audience.');
    if (payload.token_use !== 'id' || typeof payload.sub !== 'string') throw refused('Invalid login token. Not a valid ID token.');
    return `${provider} ${payload.sub}`;
  }

  const actions = {
    async GetId(body) {
      counts.getId += 1;
      if (body.IdentityPoolId !== identityPoolId) throw new AwsError('ResourceNotFoundException', `IdentityPool '${body.IdentityPoolId}' not found.`);
      const who = await login(body.Logins);
      let id = byLogin.get(who);
      if (!id) {
        id = `${region}:${randomUUID()}`;
        byLogin.set(who, id);
        identities.set(id, who);
      }
      return { IdentityId: id };
    },
    async GetCredentialsForIdentity(body) {
      counts.getCredentialsForIdentity += 1;
      const id = String(body.IdentityId ?? '');
      if (!identities.has(id)) throw new AwsError('ResourceNotFoundException', `Identity '${id}' not found.`);
      const who = await login(body.Logins);
      if (identities.get(id) !== who) {
        throw refused("Logins don't match. Please include at least one valid login for this identity or identity pool.");
      }
      const roleArn = body.CustomRoleArn ?? settings.roleArn;
      if (body.CustomRoleArn !== undefined && !settings.customRoleArns.includes(body.CustomRoleArn)) {
        throw new AwsError('InvalidParameterException', `The role ${body.CustomRoleArn} is not allowed for this identity pool.`);
      }
      const accessKeyId = `ASIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`;
      const expiration = (Math.floor(Date.now() / 1000) + settings.credentialsTtl) * 1000;
      const creds = { secretAccessKey: randomBytes(30).toString('base64'), sessionToken: randomBytes(96).toString('base64'), expiration, identityId: id, roleArn };
      issued.set(accessKeyId, creds);
      log('identity: credentials', accessKeyId, 'for', id, 'until', new Date(expiration).toISOString());
      return {
        IdentityId: id,
        Credentials: { AccessKeyId: accessKeyId, SecretKey: creds.secretAccessKey, SessionToken: creds.sessionToken, Expiration: expiration / 1000 },
      };
    },
  };

  return async function handle(req, res) {
    if (req.method === 'OPTIONS') {
      res.writeHead(200, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'content-type, x-amz-target',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    try {
      const { pathname } = new URL(req.url, 'http://127.0.0.1');
      if (req.method !== 'POST' || pathname !== '/') throw new AwsError('UnknownOperationException', 'Not found', 404);
      const target = String(req.headers['x-amz-target'] ?? '');
      const action = target.startsWith(TARGET) ? actions[target.slice(TARGET.length)] : undefined;
      if (!action || !Object.hasOwn(actions, target.slice(TARGET.length))) throw new AwsError('UnknownOperationException', `Unknown operation ${target}`);
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
        throw new AwsError('SerializationException', 'Content-Type must be application/x-amz-json-1.1');
      }
      send(res, 200, await action(await readJson(req)));
    } catch (err) {
      const e = err instanceof AwsError ? err : new AwsError('InternalErrorException', 'Internal error', 500);
      if (!(err instanceof AwsError)) log('identity: internal error', err);
      log('identity:', e.type, e.message);
      send(res, e.status, { __type: e.type, message: e.message }, { 'x-amzn-ErrorType': `${e.type}:` });
    }
  };
}

function seconds(name, value) {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer (seconds), got ${value}`);
  return value;
}

/**
 * The identity pool of the local user pool and the local AWS service that accepts its credentials.
 * Cognito Identity is served on the issuer's host, at `POST /` (`serve()` wraps the issuer host's
 * handler): the SDK derives that endpoint from a loopback `authority`, as LocalStack serves every
 * API on one origin. The AWS service gets a port of its own, on 127.0.0.1; its server joins
 * `servers`, so the IdP's stop() closes it. With `options.identityPool === false`, nothing.
 *
 * @param {object} p
 * @param {string} p.issuer
 * @param {string[]} p.clientIds
 * @param {{ keys: object[] }} p.publicJwks
 * @param {string} p.region
 * @param {import('./server.d.mts').IdpOptions} p.options
 * @param {import('node:http').Server[]} p.servers
 * @param {import('./server.d.mts').IdpRequest[]} p.requests the IdP's request log
 * @param {(...args: unknown[]) => void} p.log
 */
export async function startIdentityPool({ issuer, clientIds, publicJwks, region, options, servers, requests, log }) {
  if (options.identityPool === false) return { serve: (next) => next, info: {} };
  const identityPoolId = options.identityPoolId ?? `${region}:${randomUUID()}`;
  if (!/^[\w-]+:[\da-f-]+$/.test(identityPoolId)) throw new TypeError(`identityPoolId must be "{region}:{uuid}", got ${identityPoolId}`);
  const settings = {
    credentialsTtl: seconds('credentialsTtl', options.credentialsTtl ?? 3600),
    roleArn: 'arn:aws:iam::000000000000:role/LocalIdentityPool_Auth_Role',
    customRoleArns: [...(options.customRoleArns ?? [])],
  };
  const issued = new Map();
  const counts = { getId: 0, getCredentialsForIdentity: 0, accepted: 0, refused: 0 };
  const identity = identityPoolHandler({ identityPoolId, issuer, clientIds, publicJwks, settings, issued, counts, log });
  const aws = awsServiceHandler({ issued, region: identityPoolId.split(':')[0], counts, log });
  const awsServer = http.createServer((req, res) => {
    const { pathname, search } = new URL(req.url, 'http://127.0.0.1');
    requests.push({ host: 'aws', method: req.method, path: pathname, url: pathname + search });
    log('aws', req.method, pathname + search);
    aws(req, res);
  });
  servers.push(awsServer);
  const awsPort = await listen(awsServer, options.awsPort ?? 0);
  const origin = new URL(issuer).origin;
  log(`identity pool ${identityPoolId} at ${origin}/, AWS service at http://127.0.0.1:${awsPort}`);
  return {
    /** The issuer host's handler, with Cognito Identity at `/`. */
    serve: (next) => (req, res) => (new URL(req.url, 'http://127.0.0.1').pathname === '/' ? identity(req, res) : next(req, res)),
    info: {
      identityPoolId,
      identityEndpoint: `${origin}/`,
      awsEndpoint: `http://127.0.0.1:${awsPort}`,
      identityCounts: counts,
      setCredentialsLifetime(s) {
        settings.credentialsTtl = seconds('seconds', s);
      },
    },
  };
}
