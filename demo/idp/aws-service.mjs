// A tiny local "AWS service" (a few S3 calls, path-style) that accepts only requests signed with
// SigV4 by credentials the local identity pool issued (identity.mjs), session token included.
// The signature is recomputed with AWS's own signer, @smithy/signature-v4: no crypto of ours.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';

import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';

const MAX_BODY = 1024 * 1024;
const SKEW_MS = 15 * 60 * 1000; // S3's RequestTimeTooSkewed window
const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const sha256Hex = (bytes) => createHash('sha256').update(bytes).digest('hex');
const escapeXml = (s) => String(s).replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

class S3Error extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Last-Modified, Content-Length, Content-Type, x-amz-request-id, x-amz-id-2',
};

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `20240101T000000Z` -> Date, or null. */
function amzDate(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}

/**
 * Check the SigV4 signature of `req` (with its `body`): the identity it was made for, or an S3Error.
 * @param {Map<string, object>} issued access key id -> { secretAccessKey, sessionToken, expiration (ms), identityId }
 */
export async function verifySigV4(req, body, { issued, region }) {
  const auth = AUTH.exec(String(req.headers.authorization ?? ''));
  if (!auth) throw new S3Error(403, 'AccessDenied', 'Access Denied: the request is not signed with AWS Signature Version 4');
  const [, accessKeyId, scopeDate, scopeRegion, service, signedList, signature] = auth;
  const creds = issued.get(accessKeyId);
  if (!creds) throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  if (Date.now() >= creds.expiration) throw new S3Error(400, 'ExpiredToken', 'The provided token has expired.');
  const token = String(req.headers['x-amz-security-token'] ?? '');
  const expected = Buffer.from(creds.sessionToken);
  if (token.length !== expected.length || !timingSafeEqual(Buffer.from(token), expected)) {
    throw new S3Error(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
  }
  const date = amzDate(String(req.headers['x-amz-date'] ?? ''));
  if (!date) throw new S3Error(403, 'AccessDenied', 'X-Amz-Date is missing or malformed');
  if (Math.abs(Date.now() - date.getTime()) > SKEW_MS) throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  if (scopeDate !== req.headers['x-amz-date'].slice(0, 8) || scopeRegion !== region || service !== 's3') {
    throw new S3Error(403, 'SignatureDoesNotMatch', `The credential scope ${scopeDate}/${scopeRegion}/${service} is not this service's`);
  }
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash && payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256Hex(body)) {
    throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  // Recompute the signature over what arrived: the signed headers only, the path as sent, the query decoded.
  const signed = signedList.split(';');
  const url = new URL(req.url, `http://${req.headers.host}`);
  const headers = {};
  for (const name of signed) if (req.headers[name] !== undefined) headers[name] = String(req.headers[name]);
  const query = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? [].concat(query[k], v) : v;
  const signer = new SignatureV4({
    service: 's3',
    region,
    credentials: { accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false, // S3 signs the path as sent
    applyChecksum: signed.includes('x-amz-content-sha256'),
  });
  const again = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port) || undefined, path: url.pathname, query, headers, body },
    { signingDate: date, signableHeaders: new Set(signed) },
  );
  const recomputed = /SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(again.headers.authorization ?? '');
  const ok = recomputed && recomputed[1] === signedList && timingSafeEqual(Buffer.from(recomputed[2]), Buffer.from(signature));
  if (!ok) throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  return creds;
}

/**
 * A path-style S3 subset (PutObject, GetObject, HeadObject, DeleteObject) in memory. A caller may
 * touch only keys under its own identity id, as the usual identity-pool IAM policy
 * (`${cognito-identity.amazonaws.com:sub}/*`) allows.
 *
 * @param {object} p
 * @param {Map<string, object>} p.issued the credentials the identity pool issued
 * @param {string} p.region
 * @param {{ accepted: number, refused: number }} p.counts
 * @param {(...args: unknown[]) => void} p.log
 */
export function awsServiceHandler({ issued, region, counts, log }) {
  const objects = new Map();

  function send(res, status, headers = {}, body = '') {
    res.writeHead(status, { ...CORS, 'x-amz-request-id': randomUUID(), 'Cache-Control': 'no-store', ...headers });
    res.end(body);
  }

  return async function handle(req, res) {
    if (req.method === 'OPTIONS') {
      res.writeHead(200, {
        ...CORS,
        'Access-Control-Allow-Methods': 'GET, PUT, HEAD, DELETE',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    try {
      const body = await readBody(req);
      const { identityId } = await verifySigV4(req, body, { issued, region });
      const { pathname } = new URL(req.url, 'http://127.0.0.1');
      const [, bucket, ...rest] = pathname.split('/').map((s) => decodeURIComponent(s));
      const key = rest.join('/');
      if (!bucket || !key) throw new S3Error(405, 'MethodNotAllowed', 'Only object requests (/{bucket}/{key}) are served here');
      if (!key.startsWith(`${identityId}/`)) throw new S3Error(403, 'AccessDenied', `Access Denied: ${identityId} may use keys under "${identityId}/" only`);
      counts.accepted += 1;
      const id = `${bucket}/${key}`;
      const found = objects.get(id);
      log('aws:', req.method, id, 'by', identityId);
      if (req.method === 'PUT') {
        const object = { body, etag: `"${createHash('md5').update(body).digest('hex')}"`, type: String(req.headers['content-type'] ?? 'application/octet-stream'), modified: new Date() };
        objects.set(id, object);
        send(res, 200, { ETag: object.etag });
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        if (!found) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
        const headers = { ETag: found.etag, 'Content-Type': found.type, 'Content-Length': String(found.body.length), 'Last-Modified': found.modified.toUTCString() };
        send(res, 200, headers, req.method === 'GET' ? found.body : undefined);
      } else if (req.method === 'DELETE') {
        objects.delete(id);
        send(res, 204);
      } else {
        throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      }
    } catch (err) {
      const e = err instanceof S3Error ? err : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (!(err instanceof S3Error)) log('aws: internal error', err);
      if (e.status === 403 || e.status === 400) counts.refused += 1;
      log('aws: refused', req.method, req.url, e.code, e.message);
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error>`;
      send(res, e.status, { 'Content-Type': 'application/xml' }, req.method === 'HEAD' ? undefined : xml);
    }
  };
}
