// In-memory storage adapter for oidc-provider, one per IdP instance.
// (oidc-provider's own development adapter is size-capped and shared by the process and
// warns on the console; this one is unbounded for the IdP's lifetime and silent.)
//
// Used codes and rotated-out refresh tokens are deleted rather than marked consumed: presenting
// one again then gets a plain invalid_grant, as from Cognito (rotation grace period 0), instead
// of oidc-provider's reuse detection, which would also revoke every token of that sign-in.
const DELETE_ON_CONSUME = new Set(['AuthorizationCode', 'RefreshToken']);

export function createMemoryAdapter() {
  const store = new Map(); // `${model}:${id}` -> { payload, expiresAt }
  const byGrant = new Map(); // grantId -> Set of store keys
  const sessionUids = new Map(); // session uid -> session id
  let writes = 0;

  const now = () => Date.now();

  function read(key) {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  function sweep() {
    const t = now();
    for (const [key, entry] of store) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= t) store.delete(key);
    }
    for (const [grantId, keys] of byGrant) {
      for (const key of keys) if (!store.has(key)) keys.delete(key);
      if (!keys.size) byGrant.delete(grantId);
    }
    for (const [uid, id] of sessionUids) if (!store.has(`Session:${id}`)) sessionUids.delete(uid);
  }

  class MemoryAdapter {
    constructor(model) {
      this.model = model;
    }

    key(id) {
      return `${this.model}:${id}`;
    }

    async upsert(id, payload, expiresIn) {
      if (++writes % 500 === 0) sweep();
      const key = this.key(id);
      const expiresAt = typeof expiresIn === 'number' ? now() + expiresIn * 1000 : undefined;
      store.set(key, { payload, expiresAt });
      if (this.model === 'Session' && payload.uid) sessionUids.set(payload.uid, id);
      if (payload.grantId) {
        let keys = byGrant.get(payload.grantId);
        if (!keys) byGrant.set(payload.grantId, (keys = new Set()));
        keys.add(key);
      }
    }

    async find(id) {
      return read(this.key(id));
    }

    async findByUid(uid) {
      const id = sessionUids.get(uid);
      return id === undefined ? undefined : read(this.key(id));
    }

    async findByUserCode() {
      return undefined;
    }

    async consume(id) {
      if (DELETE_ON_CONSUME.has(this.model)) {
        store.delete(this.key(id));
        return;
      }
      const payload = read(this.key(id));
      if (payload) payload.consumed = Math.floor(now() / 1000);
    }

    async destroy(id) {
      store.delete(this.key(id));
    }

    async revokeByGrantId(grantId) {
      const keys = byGrant.get(grantId);
      if (!keys) return;
      for (const key of keys) store.delete(key);
      byGrant.delete(grantId);
    }
  }

  return {
    Adapter: MemoryAdapter,
    clear() {
      store.clear();
      byGrant.clear();
      sessionUids.clear();
    },
  };
}
