// The local IdP as a tool for another app: one command with the app's origin, users, groups and
// custom attributes from a JSON file; ports by flags or environment; error pages that say what
// was sent and what is allowed.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { resolveSettings } from '../../demo/idp/config.mjs';
import type { LocalIdp } from '../../demo/idp/server.mjs';
import { APP, Browser, CALLBACK, exchange, pkce, signIn, start, verify } from './harness.js';

const CLI = fileURLToPath(new URL('../../demo/idp/cli.mjs', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idp-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CONFIG = {
  origin: APP,
  clientId: 'my-app-client',
  users: [
    { username: 'dana', password: 'Password1!', email: 'dana@acme.example', groups: ['editors', 'admins'], name: 'Dana', attributes: { 'custom:tenant': 'acme' } },
    { username: 'eve', password: 'Password1!' },
  ],
};

/** Run the CLI until it prints its JSON line; returns that and a stop(). */
async function runCli(args: string[], env: Record<string, string> = {}): Promise<{ info: Record<string, unknown>; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await exited;
  };
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        if (out.includes('\n')) resolve(out.split('\n')[0] as string);
      });
      child.once('exit', (code) => reject(new Error(`the CLI exited (${code}): ${err}`)));
    });
    return { info: JSON.parse(line) as Record<string, unknown>, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

describe('cognito-local-idp (demo/idp/cli.mjs)', () => {
  it('starts for another app from a JSON file: its client, callback, users, groups and custom attributes', async () => {
    const file = join(dir, 'idp.json');
    await writeFile(file, JSON.stringify(CONFIG));
    const { info, stop } = await runCli(['--config', file, '--issuer-port', '0', '--json'], { IDP_DOMAIN_PORT: '0' });
    try {
      expect(info).toMatchObject({ clientId: 'my-app-client', redirectUris: [CALLBACK], logoutUris: [`${APP}/`] });
      expect(info.sdkConfig).toEqual({ authority: info.issuer, clientId: 'my-app-client', domain: info.domain, callbackUrl: CALLBACK });
      const idp = info as unknown as LocalIdp;
      const { body } = await exchange(idp, await signIn(idp, new Browser(), 'dana'));
      const claims = await verify(idp, String(body.id_token));
      expect(claims).toMatchObject({ 'cognito:username': 'dana', aud: 'my-app-client', email: 'dana@acme.example', 'cognito:groups': ['editors', 'admins'], name: 'Dana', 'custom:tenant': 'acme' });
      expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await stop();
    }
  });

  it('refuses a wrong setting with a message that says what was given and what is expected', async () => {
    const file = async (json: unknown): Promise<string> => {
      const path = join(dir, `bad-${Math.random()}.json`);
      await writeFile(path, JSON.stringify(json));
      return path;
    };
    await Promise.all([
      file({ redirectUri: 'x' }).then((p) => expect(() => resolveSettings(['--config', p], {})).toThrow(/unknown field "redirectUri"/)),
      file({ users: [{ username: 'x' }] }).then((p) => expect(() => resolveSettings(['--config', p], {})).toThrow(/users\[0\] \(x\): "password" is required/)),
      file({ users: [{ username: 'x', password: 'p', attributes: { tenant: 'a' } }] }).then((p) => expect(() => resolveSettings(['--config', p], {})).toThrow(/"tenant" must be a custom attribute named custom:/)),
      file({ origin: 'http://localhost:5173/app' }).then((p) => expect(() => resolveSettings(['--config', p], {})).toThrow(/origin must be an origin like/)),
    ]).then(() => {
      expect(() => resolveSettings(['--issuer-port', 'abc'], {})).toThrow(/issuer port must be a port number/);
      expect(() => resolveSettings(['--nope'], {})).toThrow(/unknown option "--nope"/);
      expect(() => resolveSettings(['--config', join(dir, 'missing.json')], {})).toThrow(/cannot read the config file/);
    });
  });

  it('takes ports and URIs from flags over the environment over the file', async () => {
    const path = join(dir, 'ports.json');
    await writeFile(path, JSON.stringify({ issuerPort: 1001, domainPort: 1002, origin: 'http://localhost:3000' }));
    const s = (argv: string[], env: Record<string, string> = {}) => resolveSettings(['--config', path, ...argv], env).options;
    expect(s([])).toMatchObject({ issuerPort: 1001, domainPort: 1002, redirectUris: ['http://localhost:3000/callback'], logoutUris: ['http://localhost:3000/'] });
    expect(s([], { IDP_ISSUER_PORT: '2001' })).toMatchObject({ issuerPort: 2001, domainPort: 1002 });
    expect(s(['--issuer-port', '3001', '--domain-port=3002'], { IDP_ISSUER_PORT: '2001' })).toMatchObject({ issuerPort: 3001, domainPort: 3002 });
    expect(s(['--redirect-uri', 'http://localhost:3000/auth/cb', '--origin', 'http://localhost:4000'])).toMatchObject({
      redirectUris: ['http://localhost:3000/auth/cb', 'http://localhost:4000/callback'],
      logoutUris: ['http://localhost:4000/'],
    });
    expect(resolveSettings([], {}).options).toMatchObject({ issuerPort: 9011, domainPort: 9012 });
  });
});

describe('error pages of the local IdP', () => {
  let idp: LocalIdp;
  beforeAll(async () => {
    idp = await start();
  });
  afterAll(async () => {
    await idp?.stop();
  });
  const page = async (url: string): Promise<{ status: number; text: string }> => {
    const res = await new Browser().fetch(url);
    return { status: res.status, text: (await res.text()).replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&') };
  };

  it('invalid_redirect_uri: the URI sent and the allowed ones', async () => {
    const { challenge } = pkce();
    const sent = `${APP}/auth/callback`;
    const q = new URLSearchParams({ client_id: idp.clientId, response_type: 'code', redirect_uri: sent, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    const { status, text } = await page(`${idp.domain}/oauth2/authorize?${q}`);
    expect(status).toBe(400);
    expect(text).toContain('invalid_redirect_uri');
    expect(text).toMatch(new RegExp(`redirect_uri sent\\s+${sent}`));
    expect(text).toMatch(new RegExp(`redirect_uri allowed \\(exact match\\)\\s+${CALLBACK}`));
  });

  it('unknown client: the client_id sent and the pool\'s', async () => {
    const q = new URLSearchParams({ client_id: 'someone-else', response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' });
    const { status, text } = await page(`${idp.domain}/oauth2/authorize?${q}`);
    expect(status).toBe(400);
    expect(text).toMatch(/client_id sent\s+someone-else/);
    expect(text).toMatch(new RegExp(`client_id of this pool\\s+${idp.clientId}`));
    const logout = await page(`${idp.domain}/logout?client_id=someone-else&logout_uri=${encodeURIComponent(`${APP}/signed-out`)}`);
    expect(logout.text).toContain('Client does not exist.');
    expect(logout.text).toMatch(/client_id sent\s+someone-else/);
  });

  it('/logout: the logout_uri sent (or its absence) and the allowed ones', async () => {
    const bad = await page(`${idp.domain}/logout?client_id=${idp.clientId}&logout_uri=${encodeURIComponent('https://evil.example/')}`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Required String parameter 'redirect_uri' is not present"); // Cognito's words, kept
    expect(bad.text).toMatch(/logout_uri sent\s+https:\/\/evil\.example\//);
    expect(bad.text).toMatch(new RegExp(`logout_uri allowed \\(exact match\\)\\s+${APP}/signed-out`));
    const none = await page(`${idp.domain}/logout?client_id=${idp.clientId}`);
    expect(none.text).toMatch(/logout_uri sent\s+\(not sent\)/);
    const redirect = await page(`${idp.domain}/logout?client_id=${idp.clientId}&response_type=code&redirect_uri=${encodeURIComponent(`${APP}/x`)}`);
    expect(redirect.text).toMatch(new RegExp(`redirect_uri sent\\s+${APP}/x`));
  });
});
