import type { Internals } from './internals.js';
import { ownPrefix } from './records.js';
import { sessionEnd } from './renew.js';

/**
 * What counts as the user being there: pointer events (mouse, pen and touch), keys, the wheel, and
 * the tab shown or left. Listened to in the capture phase on the document (where browsers make wheel
 * and touch listeners passive by themselves).
 */
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'visibilitychange'];
const SECOND = 1000;
/** `sessionEnding` counts down the last minute (all of an idle timeout shorter than that). */
const WARNING_S = 60;

type Reason = 'idle' | 'session_expired';

/**
 * Idle sign-out (`idleTimeout`) and the `sessionEnding` countdown before it or before
 * `sessionExpiry`: a one-second check while someone is signed in, nothing otherwise. The last
 * activity is kept in the token storage, so the tabs that share it share it (`'local'`: every
 * tab; `'session'`: this tab), written at most once a second. It belongs to one sign-in (`sub`
 * and the session's start): a new sign-in starts afresh, a session restored after the user walked
 * away ends at once. Returns the function that stops it all.
 */
export function watchIdle(c: Internals): () => void {
  const { cfg } = c;
  const idleMs = (cfg.idleTimeout ?? 0) * SECOND;
  const key = `${ownPrefix(cfg.clientId)}activity`;
  const doc = globalThis.document;
  let timer: ReturnType<typeof setInterval> | undefined;
  let counting: Reason | null = null;
  let written = 0;

  /** Note activity at `now`, or with `now` absent read the last one (a sign-in not seen before starts now). */
  const activity = (now?: number): number => {
    const r = c.session();
    const owner = `${r?.sub}.${r?.sessionStart ?? r?.authTime} `;
    const seen = c.storage().tokens.get(key);
    if (now === undefined && seen?.startsWith(owner)) return +seen.slice(owner.length);
    c.storage().tokens.set(key, owner + (written = now ?? Date.now()));
    return written;
  };

  function check(): void {
    const r = c.session();
    if (!r) return;
    const idleAt = idleMs ? activity() + idleMs : Infinity;
    const expiresAt = (sessionEnd(r, cfg) - (r.clockOffset ?? 0)) * SECOND; // Cognito's clock to this browser's
    const reason: Reason = idleAt <= expiresAt ? 'idle' : 'session_expired';
    const left = Math.ceil((Math.min(idleAt, expiresAt) - Date.now()) / SECOND);
    if (left <= 0) {
      // sessionExpiry: the renewer ends the session. Idle: sign out (Cognito out of reach: the
      // tokens are gone here all the same).
      if (reason === 'idle') {
        stop();
        c.leave('idle').catch(() => undefined);
      }
    } else if (left <= WARNING_S) {
      c.emit('sessionEnding', { secondsLeft: left, reason: (counting = reason) });
    } else if (counting) {
      c.emit('sessionEnding', { secondsLeft: null, reason: counting }); // called off by activity
      counting = null;
    }
  }

  function onActivity(): void {
    const now = Date.now();
    if (now - written < SECOND) return;
    // Back after the limit (a laptop that slept, a tab shown again): that is the end, not activity.
    if (now < activity() + idleMs) activity(now);
    check();
  }

  function stop(): void {
    clearInterval(timer);
    timer = undefined;
    counting = null;
    for (const type of ACTIVITY) doc?.removeEventListener(type, onActivity, true);
  }

  function start(): void {
    if (timer) return;
    activity(); // a new sign-in's activity starts now; a restored one keeps its own
    timer = setInterval(check, SECOND);
    if (idleMs) for (const type of ACTIVITY) doc?.addEventListener(type, onActivity, true);
  }

  const unsubscribe = c.subscribe((s) => (s.user ? start() : stop()));
  if (c.session()) start();
  return () => {
    unsubscribe();
    stop();
  };
}
