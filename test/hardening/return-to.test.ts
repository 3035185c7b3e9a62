/**
 * `returnTo` can never leave the origin, not even through its path: whatever signIn() keeps and
 * handleCallback() / init() hand back navigates within the app's origin under every reading
 * (the WHATWG URL parser behind location.assign and history.pushState, and routers, which treat
 * a value starting with `//` or `/\` as another site).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError, createCognitoAuth, type CognitoAuth } from '../../src/index.js';
import { baseConfig } from '../support/app.js';
import { HOME, OWN_PREFIX, keysOf, makeApp, rejection, usePool } from './harness.js';

const ORIGIN = 'https://app.example.com';
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** Everything a browser or router may do with a returned value keeps it on ORIGIN. */
function expectStaysOnOrigin(path: string): void {
  expect(path.startsWith('/'), path).toBe(true);
  expect(path[1] === '/' || path[1] === '\\', `${path} reads as another host`).toBe(false);
  expect(/[\u0000-\u0020\u007f]/.test(path), `${path} has a control character or space`).toBe(false);
  for (const base of [ORIGIN, `${ORIGIN}/`, `${ORIGIN}/deep/page/`, `${ORIGIN}/a/b?c=d#e`]) {
    expect(new URL(path, base).origin, `${path} against ${base}`).toBe(ORIGIN);
  }
  // What location.assign(path) would load, read again as a returnTo, is the same path.
  expect(new URL(path, ORIGIN).href.startsWith(`${ORIGIN}/`)).toBe(true);
}

/** The returnTo a whole sign-in hands back, or the AuthError signIn() refused it with. */
async function roundTrip(client: CognitoAuth, to: { url: string }, cognito: Awaited<ReturnType<typeof usePool>>, returnTo: string | undefined) {
  try {
    await client.signIn(returnTo === undefined ? {} : { returnTo });
  } catch (e) {
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).code).toBe('invalid_config');
    return { refused: true as const };
  }
  return { refused: false as const, returnTo: (await client.handleCallback(cognito.authorize(to.url))).returnTo };
}

const ATTACKS: Array<[string, string | null]> = [
  // [returnTo, what comes back: a path, or null when signIn() refuses it]
  ['/.//evil.example/x', '/evil.example/x'],
  ['/a/..//evil.example', '/evil.example'],
  ['/a/b/../..//evil.example/p?q#h', '/evil.example/p?q#h'],
  ['/%2e%2e//evil.example', '/evil.example'],
  ['/%2E/%2E%2E//evil.example', '/evil.example'],
  [`${ORIGIN}//evil.example/x`, '/evil.example/x'],
  [`${ORIGIN}/.//evil.example`, '/evil.example'],
  [`${ORIGIN}:443//evil.example`, '/evil.example'],
  ['HTTPS://APP.EXAMPLE.COM//evil.example', '/evil.example'],
  ['/\\/evil.example', null],
  ['/\\\\evil.example', null],
  ['/\t/evil.example', null],
  ['/\n/\r/evil.example', null],
  ['./..//evil.example', '/evil.example'],
  ['..//..//evil.example', '/evil.example'],
  ['https:evil.example', '/evil.example'],
  ['//evil.example/x', null],
  ['\\\\evil.example', null],
  ['/\\evil.example', null],
  ['\\/evil.example', null],
  ['////evil.example', null],
  ['https:/\\evil.example', null],
  [' //evil.example', null],
  ['\t//evil.example', null],
  ['javascript:alert(1)', null],
  ['JaVaScRiPt:alert(1)', null],
  ['data:text/html,<script>alert(1)</script>', null],
  ['blob:https://app.example.com/4f3c', null],
  ['https://app.example.com@evil.example/', null],
  ['https://evil.example#https://app.example.com/', null],
  ['http://app.example.com/', null],
];

describe('returnTo under every reading', () => {
  it.each(ATTACKS)('%j', async (returnTo, expected) => {
    const app = await makeApp();
    const to = { url: '' };
    const client = createCognitoAuth({ ...baseConfig, navigate: (u) => void (to.url = u) });
    const r = await roundTrip(client, to, app.cognito, returnTo);
    if (expected === null) {
      expect(r.refused).toBe(true);
      expect(to.url).toBe(''); // refused before leaving for Cognito
    } else {
      expect(r).toEqual({ refused: false, returnTo: expected });
      expectStaysOnOrigin(expected);
    }
    client.destroy();
  });

  it.each([
    [`${ORIGIN}//evil.example/phish`, '/evil.example/phish'],
    [`${ORIGIN}/.//evil.example/phish?x=1#y`, '/evil.example/phish?x=1#y'],
    [`${ORIGIN}///evil.example`, '/evil.example'],
  ])('without returnTo, a current page at %s comes back as %s', async (page, expected) => {
    const app = await makeApp();
    window.happyDOM?.setURL(page);
    await app.auth.signIn();
    const { returnTo } = await app.auth.handleCallback(app.cognito.authorize(app.navigations.at(-1) as string));
    expect(returnTo).toBe(expected);
    expectStaysOnOrigin(returnTo);
  });

  it('a stored transaction whose returnTo was altered comes back as a safe path', async () => {
    const app = await makeApp();
    await app.auth.signIn({ returnTo: '/reports' });
    const key = keysOf(sessionStorage).find((k) => k.startsWith(OWN_PREFIX) && k.includes('.tx.')) as string;
    for (const [altered, expected] of [['//evil.example/x', '/'], ['https://evil.example/', '/'], ['/\\evil.example', '/'], ['/ok//x', '/ok//x']] as const) {
      const tx = JSON.parse(sessionStorage.getItem(key) as string) as Record<string, unknown>;
      sessionStorage.setItem(key, JSON.stringify({ ...tx, returnTo: altered }));
      const callback = app.cognito.authorize(app.navigations.at(-1) as string);
      const client = app.another();
      expect((await client.handleCallback(callback)).returnTo, altered).toBe(expected);
      sessionStorage.setItem(key, JSON.stringify(tx)); // the state works once: put it back for the next round
    }
  });

  it('init() on the callback hands back the same safe path', async () => {
    const app = await makeApp();
    await app.auth.signIn({ returnTo: '/a/..//evil.example/x' });
    window.happyDOM?.setURL(app.cognito.authorize(app.navigations.at(-1) as string));
    const state = await app.another().init();
    expect(state.returnTo).toBe('/evil.example/x');
    expect(await rejection(app.auth.signIn({ returnTo: '//evil.example' }))).toMatchObject({ code: 'invalid_config' });
  });
});

describe('returnTo fuzzed against the WHATWG URL parser', () => {
  const piece = fc.constantFrom(
    '/', '//', '\\', '\\\\', '.', '..', '%2e', '%2E%2e', '%2f', '%5c', '/./', '/../', 'evil.example', '@', ':', '?', '#',
    ' ', '\t', '\n', '\r', '\u0000', '\u00a0', '\u3002', 'javascript:', 'https:', 'http:', 'blob:', 'data:', '//evil.example',
    'https://app.example.com', 'HTTPS://app.EXAMPLE.com:443', 'https://evil.example', 'a', 'b/c', '%', '%%', '&', '=',
  );
  const value = fc.oneof(
    fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
    fc.string({ maxLength: 24 }),
    fc.webUrl(),
  );

  it('any returnTo: refused, or a path that stays on the origin', async () => {
    const cognito = await usePool();
    const to = { url: '' };
    const client = createCognitoAuth({ ...baseConfig, navigate: (u) => void (to.url = u) });
    let handedBack = 0;
    await fc.assert(
      fc.asyncProperty(value, async (returnTo) => {
        const r = await roundTrip(client, to, cognito, returnTo);
        if (!r.refused) {
          handedBack++;
          expectStaysOnOrigin(r.returnTo);
        }
      }),
      { numRuns: RUNS },
    );
    expect(handedBack).toBeGreaterThan(RUNS / 10); // the property is not vacuous
    client.destroy();
  });

  it('any current page (no returnTo): a path that stays on the origin', async () => {
    const cognito = await usePool();
    const to = { url: '' };
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')), async (path) => {
        let page: URL;
        try {
          page = new URL(`${ORIGIN}/${path}`);
        } catch {
          return; // not a page a browser can be on
        }
        if (page.origin !== ORIGIN) return;
        window.happyDOM?.setURL(page.href);
        const client = createCognitoAuth({ ...baseConfig, navigate: (u) => void (to.url = u) });
        const r = await roundTrip(client, to, cognito, undefined);
        expect(r.refused).toBe(false);
        if (!r.refused) expectStaysOnOrigin(r.returnTo);
        client.destroy();
        window.happyDOM?.setURL(HOME);
      }),
      { numRuns: RUNS },
    );
  });
});
