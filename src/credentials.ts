/**
 * AWS credentials from a Cognito identity pool, in a chunk of its own loaded on the first call:
 * `GetId` once per user, `GetCredentialsForIdentity` once per expiry, for any number of callers
 * and tabs. The identity id and the last credentials are kept beside the session
 * (records.ts `awsKey`), for the session's user only.
 */
import type { NormalizedConfig } from './config.js';
import { callIdentity } from './credentials-api.js';
import { withTabLock } from './crosstab.js';
import { AuthError } from './errors.js';
import { decodeClaims } from './jwt.js';
import { awsKey } from './records.js';
import type { SafeStorage, SessionRecord } from './store.js';
import type { AuthEventMap, AwsCredentials, GetAwsCredentialsOptions } from './types.js';

/** What the credentials need from the client; they own no tokens. */
export interface CredentialsDeps {
  cfg: NormalizedConfig;
  /** Where the session lives: the identity id and credentials are kept there too. */
  storage(): { tokens: SafeStorage };
  current(): SessionRecord | null;
  /** The client's tokens, renewed first when due; `force` renews them now. */
  token(kind: 'idToken', force: boolean): Promise<string>;
  on<E extends 'signedIn' | 'signedOut'>(event: E, listener: (payload: AuthEventMap[E]) => void): () => void;
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
 * The identity pool's credentials for the signed-in user. Concurrent callers share one request;
 * tabs take turns under a lock (`withTabLock`, as renew does), and the one that held it hands
 * the result to the others by storage and by BroadcastChannel (storage alone can lag between
 * Chromium processes). Throttling and faults back off (1 s doubling to 1 min) and never sign
 * anyone out; meanwhile credentials that are due but not expired still serve.
 */
export function createCredentials(d: CredentialsDeps) {
  const { cfg } = d;
  const pool = `${cfg.identityPoolId} ${cfg.customRoleArn}`;
  const name = `cognito-spa-auth.${cfg.clientId}.aws`;
  const key = awsKey(cfg.clientId);
  const store = d.storage().tokens;
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

  // A sign-out or another user: forget what this tab heard (the client removes the stored record).
  const forget = (): void => {
    heard = lastError = undefined;
    failures = retryAt = 0;
    ch?.close();
    ch = null;
  };
  d.on('signedOut', forget);
  d.on('signedIn', forget);

  /** The newest record of `sub` for this pool: the stored one or one another tab sent. */
  const known = (sub: string): AwsRecord | undefined => {
    let kept: AwsRecord | undefined;
    try {
      kept = JSON.parse(store.get(key) ?? 'null') ?? undefined;
    } catch {
      /* unreadable: none */
    }
    const r = [kept, heard].filter((x) => x?.v === 1 && x.sub === sub && x.pool === pool).sort((a, b) => (b?.at ?? 0) - (a?.at ?? 0))[0];
    if (r && r !== kept) store.set(key, JSON.stringify(r)); // heard from another tab: keep it for a reload (per-tab storage)
    return r;
  };

  /** Ask Cognito Identity: `GetId` unless the identity id is known, then the credentials. */
  async function fetchRecord(sub: string, had: AwsRecord | undefined): Promise<AwsRecord> {
    let token = await d.token('idToken', false);
    // A fresh access token can sit beside an ID token that is (nearly) expired: Cognito would refuse it.
    if (Number(decodeClaims(token)?.exp) - Date.now() / 1000 <= cfg.renewLeadTime) token = await d.token('idToken', true);
    const logins = { [String(decodeClaims(token)?.iss).replace(/^https?:\/\//, '')]: token };
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
    if (d.current()?.sub !== sub) throw signedOut(); // the user left meanwhile: keep nothing
    store.set(key, JSON.stringify(r));
    return r;
  }

  /** Under the tab lock: use what another tab just got, else ask Cognito and hand the result over. */
  function fly(sub: string, enough: (r: AwsRecord | undefined) => boolean): Promise<AwsRecord> {
    return withTabLock(name, async () => {
      await new Promise((r) => ((arrived = r as () => void), setTimeout(r, busy ? 1000 : 0)));
      if (d.current()?.sub !== sub) throw signedOut();
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
    const sub = d.current()?.sub;
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
      const sub = d.current()?.sub;
      return (sub && known(sub)?.identityId) || (await run()).identityId;
    },
  };
}

export type Credentials = ReturnType<typeof createCredentials>;
