/**
 * Property-based fuzzing of handleCallback(url): random and mutated callback URLs, and genuine
 * callbacks whose tokens were mutated or re-signed with random claims. Whatever comes in, the
 * SDK rejects with an AuthError, yields a user only for the genuine input, and leaves no
 * half-written store behind.
 */
import fc from 'fast-check';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError, createCognitoAuth, type CognitoAuth, type User } from '../../src/index.js';
import { baseConfig } from '../support/app.js';
import { AUTHORITY, CALLBACK, CLIENT_ID, type CognitoMock, type Tamper } from '../support/cognito.js';
import { HOME, keysOf, usePool } from './harness.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const now = () => Math.floor(Date.now() / 1000);

interface Attempt {
  client: CognitoAuth;
  /** The callback URL Cognito redirected to, and its state and code. */
  genuine: string;
  state: string;
  code: string;
}

/** A client in a new page (empty storage) that started a sign-in and came back from the hosted UI. */
async function startSignIn(cognito: CognitoMock): Promise<Attempt> {
  sessionStorage.clear();
  localStorage.clear();
  window.happyDOM?.setURL(HOME);
  let to = '';
  const client = createCognitoAuth({ ...baseConfig, navigate: (u) => void (to = u) });
  await client.signIn();
  const genuine = cognito.authorize(to);
  const q = new URL(genuine).searchParams;
  return { client, genuine, state: q.get('state') as string, code: q.get('code') as string };
}

/** handleCallback(url): a user, or an AuthError; anything else (a sync throw included) fails the property. */
async function outcome(client: CognitoAuth, url: string): Promise<{ user: User } | { error: AuthError }> {
  try {
    const { user } = await client.handleCallback(url);
    return { user };
  } catch (e) {
    expect(e).toBeInstanceOf(AuthError);
    return { error: e as AuthError };
  }
}

/** After the attempt: a failure left no session behind; a success left a restorable one. */
async function checkStore(ok: boolean) {
  window.happyDOM?.setURL(HOME);
  const sessions = keysOf(sessionStorage).filter((k) => k.endsWith('.session'));
  const fresh = createCognitoAuth(baseConfig);
  try {
    const state = await fresh.init();
    expect(state.status).toBe(ok ? 'authenticated' : 'unauthenticated');
    expect(sessions).toHaveLength(ok ? 1 : 0);
    expect(keysOf(localStorage).filter((k) => k.startsWith('cognito-spa-auth.'))).toEqual([]);
  } finally {
    fresh.destroy();
  }
}

// ---- callback URLs --------------------------------------------------------------------------

/** A value in a query: the genuine state or code, or noise, some of it badly encoded. */
const valueArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('$STATE', '$CODE') },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '%', '%zz', '%E0%A4%A', '%00', '%2526', '+', '&', '=', '#', '..%2F', '\u0000', '\uD800', '$STATE$STATE') },
);
const nameArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('state', 'code', 'error', 'error_description', 'iss', 'session_state', 'State', 'code ', 'state[]') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
/** How a pair is written into the query: encoded, raw, or raw with a broken escape. */
const pairArb = fc.record({ name: nameArb, value: valueArb, enc: fc.constantFrom('encode', 'raw', 'broken') });
type Pair = { name: string; value: string; enc: 'encode' | 'raw' | 'broken' };

/** Edits of the genuine query: drop, duplicate, rename, revalue, insert, add an error. */
const editArb = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), pair: pairArb }),
  fc.record({ op: fc.constant('revalue' as const), at: fc.nat(), value: valueArb }),
  fc.record({ op: fc.constant('rename' as const), at: fc.nat(), name: nameArb }),
  fc.record({ op: fc.constant('reverse' as const) }),
);
const baseArb = fc.constantFrom(CALLBACK, HOME, `${CALLBACK}/`, 'https://evil.example.com/callback', 'http://app.example.com/callback', 'not a url', '', `${CALLBACK}#frag`);

const urlArb = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), base: baseArb, pairs: fc.array(pairArb, { maxLength: 6 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edited' as const), base: baseArb, edits: fc.array(editArb, { maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), text: fc.string({ maxLength: 200 }) }) },
);
type UrlSpec = typeof urlArb extends fc.Arbitrary<infer T> ? T : never;

function buildUrl(spec: UrlSpec, a: Attempt): string {
  const fill = (v: string) => v.replaceAll('$STATE', a.state).replaceAll('$CODE', a.code);
  const encode = (x: string) => {
    try {
      return encodeURIComponent(x);
    } catch {
      return x; // a lone surrogate cannot be encoded: write it raw
    }
  };
  const write = (p: Pair) => {
    const v = fill(p.value);
    if (p.enc === 'encode') return `${encode(p.name)}=${encode(v)}`;
    if (p.enc === 'raw') return `${p.name}=${v}`;
    return `${p.name}=${v}%${v.length % 2 ? 'G' : ''}`;
  };
  if (spec.kind === 'garbage') return spec.text;
  let pairs: Pair[];
  if (spec.kind === 'random') pairs = spec.pairs;
  else {
    pairs = [
      { name: 'code', value: '$CODE', enc: 'encode' },
      { name: 'state', value: '$STATE', enc: 'encode' },
    ];
    for (const e of spec.edits) {
      const i = pairs.length ? ('at' in e ? e.at % pairs.length : 0) : 0;
      if (e.op === 'drop') pairs.splice(i, 1);
      else if (e.op === 'dup' && pairs[i]) pairs.splice(i, 0, { ...pairs[i] });
      else if (e.op === 'insert') pairs.splice(i, 0, e.pair);
      else if (e.op === 'revalue' && pairs[i]) pairs[i] = { ...pairs[i], value: e.value };
      else if (e.op === 'rename' && pairs[i]) pairs[i] = { ...pairs[i], name: e.name };
      else if (e.op === 'reverse') pairs.reverse();
    }
  }
  const [path, hash] = spec.base.split('#');
  return `${path}${pairs.length ? '?' : ''}${pairs.map(write).join('&')}${hash === undefined ? '' : `#${hash}`}`;
}

/** The SDK may sign in only when the URL carries the genuine state and code (first of each) and no error. */
function isGenuine(url: string, a: Attempt): boolean {
  let q: URLSearchParams;
  try {
    q = new URL(url).searchParams;
  } catch {
    return false;
  }
  return q.get('state') === a.state && q.get('code') === a.code && !q.has('error');
}

// ---- tokens ---------------------------------------------------------------------------------

const mutationArb = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), seg: fc.nat(2), byte: fc.nat(), bit: fc.nat(7) }),
  fc.record({ op: fc.constant('shuffle' as const), order: fc.constantFrom([0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 4 }) }),
  fc.record({ op: fc.constant('drop' as const), seg: fc.nat(2) }),
  fc.record({ op: fc.constant('dupSeg' as const), seg: fc.nat(2) }),
  fc.record({ op: fc.constant('replaceSeg' as const), seg: fc.nat(2), bytes: fc.uint8Array({ maxLength: 64 }) }),
);
type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

function mutate(t: string, m: Mutation): string {
  const segs = t.split('.');
  switch (m.op) {
    case 'flip': {
      const bytes = base64url.decode(segs[m.seg] as string);
      const i = m.byte % bytes.length;
      bytes[i] = (bytes[i] as number) ^ (1 << m.bit);
      segs[m.seg] = base64url.encode(bytes);
      return segs.join('.');
    }
    case 'shuffle':
      return m.order.map((i) => segs[i]).join('.');
    case 'truncate':
      return t.slice(0, m.at % t.length);
    case 'insert': {
      const at = m.at % (t.length + 1);
      return t.slice(0, at) + m.text + t.slice(at);
    }
    case 'drop':
      return segs.filter((_, i) => i !== m.seg).join('.');
    case 'dupSeg':
      return [...segs.slice(0, m.seg + 1), segs[m.seg], ...segs.slice(m.seg + 1)].join('.');
    case 'replaceSeg':
      segs[m.seg] = base64url.encode(m.bytes);
      return segs.join('.');
  }
}

/** For each checked claim, values that must be refused, and the reason the SDK gives. */
const skew = 120;
const notNumber = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }));
const notEqual = (v: unknown) => fc.jsonValue({ maxDepth: 2 }).filter((x) => JSON.stringify(x) !== JSON.stringify(v));
const badIdClaim = fc.oneof(
  fc.record({ claim: fc.constant('iss'), value: notEqual(AUTHORITY), reason: fc.constant('iss') }),
  fc.record({
    claim: fc.constant('aud'),
    value: fc.jsonValue({ maxDepth: 2 }).filter((v) => v !== CLIENT_ID && !(Array.isArray(v) && v.includes(CLIENT_ID))),
    reason: fc.constant('aud'),
  }),
  fc.record({ claim: fc.constant('exp'), value: fc.oneof(fc.integer({ min: -1e9, max: now() - skew - 3600 }), notNumber), reason: fc.constant('exp') }),
  fc.record({ claim: fc.constant('iat'), value: fc.oneof(fc.integer({ min: now() + skew + 3600, max: 4e9 }), notNumber), reason: fc.constant('iat') }),
  fc.record({ claim: fc.constant('nbf'), value: fc.oneof(fc.integer({ min: now() + skew + 3600, max: 4e9 }), notNumber), reason: fc.constant('nbf') }),
  fc.record({ claim: fc.constant('token_use'), value: notEqual('id'), reason: fc.constant('token_use') }),
  fc.record({ claim: fc.constant('nonce'), value: fc.jsonValue({ maxDepth: 2 }), reason: fc.constant('nonce') }),
  fc.record({ claim: fc.constant('azp'), value: notEqual(CLIENT_ID), reason: fc.constant('azp') }),
  fc.record({ claim: fc.constant('auth_time'), value: fc.oneof(fc.integer({ min: now() + skew + 3600, max: 4e9 }), notNumber), reason: fc.constant('auth_time') }),
  fc.record({ claim: fc.constant('at_hash'), value: fc.jsonValue({ maxDepth: 2 }), reason: fc.constant('at_hash') }),
);
const badAccessClaim = fc.oneof(
  fc.record({ claim: fc.constant('iss'), value: notEqual(AUTHORITY), reason: fc.constant('access_token.iss') }),
  fc.record({ claim: fc.constant('exp'), value: fc.oneof(fc.integer({ min: -1e9, max: now() - skew - 3600 }), notNumber), reason: fc.constant('access_token.exp') }),
  fc.record({ claim: fc.constant('iat'), value: fc.oneof(fc.integer({ min: now() + skew + 3600, max: 4e9 }), notNumber), reason: fc.constant('access_token.iat') }),
  fc.record({ claim: fc.constant('nbf'), value: fc.oneof(fc.integer({ min: now() + skew + 3600, max: 4e9 }), notNumber), reason: fc.constant('access_token.nbf') }),
  fc.record({ claim: fc.constant('token_use'), value: notEqual('access'), reason: fc.constant('access_token.token_use') }),
  fc.record({ claim: fc.constant('client_id'), value: notEqual(CLIENT_ID), reason: fc.constant('access_token.client_id') }),
  fc.record({ claim: fc.constant('sub'), value: fc.string().filter((s) => s !== '11111111-aaaa-bbbb-cccc-000000000001'), reason: fc.constant('access_token.sub') }),
);

describe('fuzzing handleCallback(url)', { timeout: 60_000 }, () => {
  it('random and mutated callback URLs: an AuthError or, for the genuine one only, a user; never a half-written store', async () => {
    const cognito = await usePool();
    let signedIn = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(urlArb, async (spec) => {
        const a = await startSignIn(cognito);
        try {
          const url = buildUrl(spec, a);
          const got = await outcome(a.client, url);
          const genuine = isGenuine(url, a);
          if ('user' in got) {
            expect(genuine).toBe(true);
            expect(got.user.principal).toBe('alice');
            signedIn++;
          } else {
            expect(genuine).toBe(false);
            refused++;
          }
          await checkStore('user' in got);
        } finally {
          a.client.destroy();
        }
      }),
      { numRuns: RUNS },
    );
    // Both sides of the oracle were exercised.
    expect(signedIn).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('the genuine callback with a mutated ID or access token is refused with id_token_invalid', async () => {
    const cognito = await usePool();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<'idToken' | 'accessToken'>('idToken', 'accessToken'), mutationArb, async (which, m) => {
        const a = await startSignIn(cognito);
        let changed = true;
        let empty = false;
        cognito.pool.tamper = {
          [which]: (t: string) => {
            const out = mutate(t, m);
            changed = out !== t;
            empty = out === '';
            return out;
          },
        } as Tamper;
        try {
          const got = await outcome(a.client, a.genuine);
          if (!changed) expect('user' in got).toBe(true);
          else {
            // An empty token is a reply without tokens: the token request failed.
            expect('error' in got && got.error.code).toBe(empty ? 'token_request_failed' : 'id_token_invalid');
            if ('error' in got && which === 'accessToken' && !empty) expect(got.error.reason).toMatch(/^access_token\./);
          }
          await checkStore(!changed);
        } finally {
          cognito.pool.tamper = {};
          a.client.destroy();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('random claims signed with the pool’s real key are refused', async () => {
    const cognito = await usePool();
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 }), fc.boolean(), async (claims, asAccess) => {
        const a = await startSignIn(cognito);
        const forged = await cognito.sign(claims, asAccess ? cognito.accessKey : cognito.idKey);
        cognito.pool.tamper = asAccess ? { accessToken: () => forged } : { idToken: () => forged };
        try {
          const got = await outcome(a.client, a.genuine);
          expect('error' in got && got.error.code).toBe('id_token_invalid');
          await checkStore(false);
        } finally {
          cognito.pool.tamper = {};
          a.client.destroy();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('genuine claims with one claim set to a refused value, re-signed by the pool, fail with that claim as reason', async () => {
    const cognito = await usePool();
    await fc.assert(
      fc.asyncProperty(fc.oneof(badIdClaim.map((b) => ({ ...b, on: 'id' as const })), badAccessClaim.map((b) => ({ ...b, on: 'access' as const }))), async (bad) => {
        const a = await startSignIn(cognito);
        cognito.pool.tamper = { [bad.on]: { [bad.claim]: bad.value } };
        try {
          const got = await outcome(a.client, a.genuine);
          expect('error' in got && { code: got.error.code, reason: got.error.reason }).toEqual({ code: 'id_token_invalid', reason: bad.reason });
          await checkStore(false);
        } finally {
          cognito.pool.tamper = {};
          a.client.destroy();
        }
      }),
      { numRuns: RUNS },
    );
  });
});
