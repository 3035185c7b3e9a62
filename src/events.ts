import type { AuthEventMap, AuthEventName } from './types.js';

type Listener<E extends AuthEventName> = (payload: AuthEventMap[E]) => void;

/** Typed events: `on(name, fn)` returns the function that removes the listener. */
export function createEmitter() {
  const listeners = new Map<AuthEventName, Set<Listener<AuthEventName>>>();
  return {
    on<E extends AuthEventName>(event: E, listener: Listener<E>): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener<AuthEventName>);
      return () => void set.delete(listener as Listener<AuthEventName>);
    },
    emit<E extends AuthEventName>(event: E, payload: AuthEventMap[E]): void {
      for (const l of [...(listeners.get(event) ?? [])]) {
        try {
          l(payload);
        } catch (e) {
          // A faulty listener must not break sign-in for the others; surface it asynchronously.
          setTimeout(() => {
            throw e;
          });
        }
      }
    },
    clear(): void {
      listeners.clear();
    },
  };
}
