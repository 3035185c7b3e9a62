import type { AuthError } from './errors.js';
import type { AuthState, User } from './types.js';

/** Everything that can change the {@link AuthState}. */
export type Action =
  | { type: 'loading' }
  | { type: 'authenticated'; user: User }
  | { type: 'unauthenticated'; error?: AuthError; signedOut?: boolean }
  | { type: 'failed'; error: AuthError };

export const initialState: AuthState = Object.freeze({ status: 'loading', user: null, error: null });

/** The only place the state changes: a pure function of the previous state and an action. */
export function reduce(state: AuthState, action: Action): AuthState {
  switch (action.type) {
    case 'loading':
      return { status: 'loading', user: state.user, error: null };
    case 'authenticated':
      return { status: 'authenticated', user: action.user, error: null };
    case 'unauthenticated':
      return { status: 'unauthenticated', user: null, error: action.error ?? null, signedOut: action.signedOut || undefined };
    case 'failed':
      return { status: 'error', user: null, error: action.error };
  }
}

/** A tiny external store: a snapshot, a dispatcher and subscriptions (for useSyncExternalStore and friends). */
export function createStateStore() {
  let state = initialState;
  const listeners = new Set<(s: AuthState) => void>();
  return {
    getState: (): AuthState => state,
    dispatch(action: Action): void {
      const next = Object.freeze(reduce(state, action));
      if (next.status === state.status && next.user === state.user && next.error === state.error) return;
      state = next;
      for (const l of [...listeners]) l(state);
    },
    subscribe(listener: (s: AuthState) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
