import { configError } from './config.js';

/**
 * Resolve `returnTo` against the current page; only the same origin is accepted, and it is kept
 * as a path that stays on the origin under every reading. URL parsing collapses dot segments and
 * turns `\` into `/`, so a same-origin URL can still have a path such as `//evil.example/x`,
 * which `location.assign` and routers read as another site: leading slashes are collapsed to one.
 */
export function sameOriginPath(returnTo: string | undefined, here: string): string {
  const base = new URL(here);
  let target: URL | null = null;
  try {
    target = new URL(returnTo ?? here, base);
  } catch {
    /* refused below */
  }
  // "//evil.example", "\\evil.example" and "javascript:" resolve to another (or an opaque) origin;
  // "blob:https://app/..." has this origin but is no page of it.
  if (!target || target.origin !== base.origin || target.protocol !== base.protocol) {
    throw configError('signIn.returnTo', `"${returnTo}" is not a path or URL of this origin (${base.origin})`);
  }
  return `/${(target.pathname + target.search + target.hash).replace(/^[/\\]+/, '')}`;
}
