/**
 * AWS credentials from a Cognito identity pool, in a chunk of its own loaded on the first call:
 * `GetId` once per user, `GetCredentialsForIdentity` once per expiry, for any number of callers
 * and tabs. The identity id and the last credentials are kept beside the session
 * (records.ts `awsKey`), for the session's user only.
 */
import type { NormalizedConfig } from './config.js';
import { callIdentity } from './credentials-api.js';
import { AuthError } from './errors.js';
import { awsKey } from './records.js';
import { openStorages } from './store.js';
import type { AwsCredentials, CognitoAuth, GetAwsCredentialsOptions } from './types.js';

/**
 * What the credentials need: the config, and the client's public API (the user, its ID token,
 * renewed first when due, its events). They own no tokens.
 */
export type CredentialsDeps = Pick<CognitoAuth, 'getUser' | 'getIdToken' | 'on'>;

interface LockManagerLike {
  request<T>(name: string, cb: () => Promise<T>): Promise<T>;
}

/** What is kept for the session's user: the identity id and Cognito Identity's last `Credentials`. */
interface AwsRecord {
  v: 1;
  sub: string;
  /** The identity pool and role they come from: another config starts over. */
  pool: string;
  identityId: string;
  /** When they were fetched, epoch ms: the newest record wins, across tabs too. */
  at: number;
  /** As Cognito sent them: `Expiration` in epoch seconds. */
  creds: { AccessKeyId: string; SecretKey: string; SessionToken: string; Expiration: number };
}

/** Credentials are used until 5 minutes before they expire (AWS SDK v3 clients ask their provider again then too). */
export const CREDENTIALS_SKEW_MS = 300_000;

const str = (v: unknown): boolean => typeof v === 'string' && v !== '';
const ms = (r: AwsRecord | undefined): number => (r?.creds.Expiration ?? 0) * 1000;
const transient = (e: unknown): e is AuthError => (e as AuthError | null)?.code === 'network_error';
const signedOut = (): AuthError => new AuthError('login_required', 'not signed in');

/**
 * A Web Lock shared by every tab of the origin, as renew takes (lock.ts). Where a browser has
 * none (before 2022), none: unlike a rotating refresh token, a second GetId or
 * GetCredentialsForIdentity is harmless, so the lease fallback is not worth its bytes here.
 */
const locked = <T>(name: string, fn: () => Promise<T>): Promise<T> =>
  (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks?.request(name, fn) ?? fn();

/**
 * The identity pool's credentials for the signed-in user. Concurrent callers share one request;
 * tabs take turns under a Web Lock, as renew does, and the one that held it hands
 * the result to the others by storage and by BroadcastChannel (storage alone can lag between
 * Chromium processes). Throttling and faults back off (1 s doubling to 1 min) and never sign
 * anyone out; meanwhile credentials that are due but not expired still serve.
 */
export function createCredentials(cfg: NormalizedConfig, d: CredentialsDeps) {
  const pool = `${cfg.identityPoolId} ${cfg.customRoleArn}`;
  const name = `cognito-spa-auth.${cfg.clientId}.aws`;
  const key = awsKey(cfg.clientId);
  // The storage the session lives in (for 'memory', a store of this chunk's own, forgotten below).
  const store = openStorages(cfg.storage, () => undefined).tokens;
  const user = (): string | undefined => d.getUser()?.claims.sub as string | undefined;
  const flights: Array<Promise<AwsRecord> | undefined> = [];
  let heard: AwsRecord | undefined; // sent by the tab that held the lock
  let busy = false; // another tab said it is asking Cognito, and has not handed over yet
  let arrived = (): void => undefined;
  let failures = 0;
  let retryAt = 0;
  let lastError: AuthError | undefined;

  /**
   * Tabs talk on a channel, open from the first call until sign-out: the tab that asks Cognito
   * says so (1), then hands over its result (or 0). A tab that heard the start waits for the
   * result once it holds the lock, as the lock can reach it before the message does.
   */
  let ch: BroadcastChannel | null = null;
  const channel = (): BroadcastChannel | null => {
    if (!ch && typeof BroadcastChannel !== 'undefined') {
      ch = new BroadcastChannel(name);
      (ch as { unref?: () => void }).unref?.(); // Node (tests, SSR): never keep the process alive
      ch.onmessage = (e: MessageEvent<AwsRecord | 0 | 1>) => {
        busy = e.data === 1;
        if (e.data !== 1) {
          heard = e.data || heard;
          arrived();
        }
      };
    }
    return ch;
  };

  // A sign-out or another user: forget what this tab heard, and a stored record of another user
  // (the client removes it too, where the storage outlives this chunk).
  const forget = (): void => {
    heard = lastError = undefined;
    failures = retryAt = 0;
    ch?.close();
    ch = null;
    if (stored()?.sub !== user()) store.remove(key);
  };
  d.on('signedOut', forget);
  d.on('signedIn', forget);

  function stored(): AwsRecord | undefined {
    try {
      return JSON.parse(store.get(key) ?? 'null') ?? undefined;
    } catch {
      return undefined; // unreadable: none
    }
  }
  /** The newest record of `sub` for this pool: the stored one or one another tab sent. */
  const known = (sub: string): AwsRecord | undefined => {
    const kept = stored();
    const r = [kept, heard].filter((x) => x?.v === 1 && x.sub === sub && x.pool === pool).sort((a, b) => (b?.at ?? 0) - (a?.at ?? 0))[0];
    if (r && r !== kept) store.set(key, JSON.stringify(r)); // heard from another tab: keep it for a reload (per-tab storage)
    return r;
  };

  /** Ask Cognito Identity: `GetId` unless the identity id is known, then the credentials. */
  async function fetchRecord(sub: string, had: AwsRecord | undefined): Promise<AwsRecord> {
    const token = await d.getIdToken(); // renewed first when it is expired or due
    const logins = { [String(d.getUser()?.claims.iss).replace(/^https?:\/\//, '')]: token };
    const getId = async (): Promise<string> => (await callIdentity(cfg, 'GetId', { IdentityPoolId: cfg.identityPoolId, Logins: logins })).IdentityId as string;
    const ask = async (id: string) => callIdentity(cfg, 'GetCredentialsForIdentity', { IdentityId: id, Logins: logins, CustomRoleArn: cfg.customRoleArn });
    let identityId = had?.identityId ?? (await getId());
    const reply = str(identityId) && (await ask(identityId).catch(async (e: AuthError) => {
      // A kept identity id the pool no longer knows (a deleted identity): the user's id again, once.
      if (!had || e.awsError !== 'ResourceNotFoundException') throw e;
      return ask((identityId = await getId()));
    }));
    const r = { v: 1, sub, pool, identityId, at: Date.now(), creds: reply && reply.Credentials } as AwsRecord;
    const c = r.creds;
    if (!c || ![c.AccessKeyId, c.SecretKey, c.SessionToken, identityId].every(str) || !(ms(r) > Date.now())) {
      throw new AuthError('network_error', 'Cognito Identity answered without an identity id or credentials');
    }
    if (user() !== sub) throw signedOut(); // the user left meanwhile: keep nothing
    store.set(key, JSON.stringify(r));
    return r;
  }

  /** Under the tab lock: use what another tab just got, else ask Cognito and hand the result over. */
  function fly(sub: string, enough: (r: AwsRecord | undefined) => boolean): Promise<AwsRecord> {
    return locked(name, async () => {
      await new Promise((r) => ((arrived = r as () => void), setTimeout(r, busy ? 1000 : 0)));
      if (user() !== sub) throw signedOut();
      const r = known(sub);
      if (enough(r)) return r as AwsRecord;
      ch?.postMessage(1);
      let next: AwsRecord | 0 = 0;
      try {
        return (next = await fetchRecord(sub, r));
      } finally {
        ch?.postMessage(next);
      }
    })
      .then(
        (r) => ((failures = retryAt = 0), r),
        (e: unknown) => {
          if (transient(e)) {
            retryAt = Date.now() + Math.min(1000 * 2 ** failures++, 60_000);
            lastError = e;
          }
          throw e;
        },
      );
  }

  async function run(force = false): Promise<AwsRecord> {
    if (!cfg.identityPoolId) throw new AuthError('invalid_config', 'config.identityPoolId: needed for AWS credentials');
    const sub = user();
    if (!sub) throw signedOut();
    channel(); // from now on, hear what other tabs get
    const since = Date.now();
    // Fresh; when forced, also fetched since this call began.
    const enough = (r: AwsRecord | undefined): boolean => Date.now() < ms(r) - CREDENTIALS_SKEW_MS && !(force && (r?.at ?? 0) <= since);
    const before = known(sub);
    if (enough(before)) return before as AwsRecord;
    // While Cognito can't be reached, credentials that are due but not yet expired still serve.
    const spare = (): AwsRecord | undefined => (r => (!force && Date.now() < ms(r) ? r : undefined))(known(sub));
    if (Date.now() < retryAt && lastError) return spare() ?? Promise.reject(lastError); // backing off
    try {
      return await (flights[+force] ??= fly(sub, enough).finally(() => (flights[+force] = undefined)));
    } catch (e) {
      const r = transient(e) && spare();
      if (r) return r;
      throw e;
    }
  }

  return {
    async getAwsCredentials(options?: GetAwsCredentialsOptions): Promise<AwsCredentials> {
      const r = await run(options?.forceRefresh === true);
      const c = r.creds;
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken, expiration: new Date(ms(r)), identityId: r.identityId };
    },
    /** The identity id: kept, or learnt together with the first credentials. */
    async getIdentityId(): Promise<string> {
      const sub = user();
      return (sub && known(sub)?.identityId) || (await run()).identityId;
    },
  };
}

export type Credentials = ReturnType<typeof createCredentials>;
