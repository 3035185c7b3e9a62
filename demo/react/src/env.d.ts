/** The local user pool, set by vite.config.ts. */
declare const __LOCAL_POOL__: { authority: string; domain: string; clientId: string; callbackUrl: string };
