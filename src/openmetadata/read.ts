import { AuthError } from '../errors.js';

// Reading OpenMetadata's configuration as it really comes: the yaml (environment defaults leave
// `""` for unset values and write numbers and lists as strings), the stored settings, or the
// `/api/v1/system/config/*` replies (null for what they leave out).

export type Json = Readonly<Record<string, unknown>>;
/** A field's value and where it was found, so that errors can name it. */
export interface Found {
  value: unknown;
  path: string;
}

export const AUTH = 'authenticationConfiguration';
export const OIDC = `${AUTH}.oidcConfiguration`;
export const AUTHZ = 'authorizerConfiguration';

export const fail = (path: string, why: string): never => {
  throw new AuthError('invalid_config', `OpenMetadata ${path} ${why}`);
};
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
// yaml and environment defaults leave `""` or `null` for unset fields: they count as absent.
const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** The first source that sets `key`. */
export function lookup(key: string, ...sources: ReadonlyArray<[Json, string]>): Found | undefined {
  for (const [source, prefix] of sources) {
    if (isSet(source[key])) return { value: source[key], path: `${prefix}.${key}` };
  }
  return undefined;
}

export function text(f: Found | undefined): string | undefined {
  if (f === undefined) return undefined;
  if (typeof f.value !== 'string') return fail(f.path, 'must be a string');
  return f.value.trim() || undefined;
}

/** Numbers may arrive as strings ("3600"), as OpenMetadata's schema types several of them. */
export function seconds(f: Found | undefined): number | undefined {
  const v = typeof f?.value === 'string' ? f.value.trim() : f?.value;
  if (f === undefined || v === '') return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : fail(f.path, `must be a number of seconds, not ${JSON.stringify(f.value)}`);
}

export function flag(f: Found | undefined): boolean | undefined {
  if (f === undefined) return undefined;
  const v = String(f.value).trim().toLowerCase();
  return v === 'true' || v === 'false' ? v === 'true' : fail(f.path, `must be true or false, not ${JSON.stringify(f.value)}`);
}

/** A list, or one string as an environment variable gives it: `a,b` or `[a, b]`. */
export function list(f: Found | undefined): string[] | undefined {
  if (f === undefined) return undefined;
  const items = typeof f.value === 'string' ? f.value.replace(/^\[|\]$/g, '').split(',') : f.value;
  if (!Array.isArray(items) || !items.every((i) => typeof i === 'string')) return fail(f.path, 'must be a list of strings');
  return items.map((i: string) => i.trim().replace(/^"(.*)"$/, '$1')).filter((i) => i !== '');
}

export function oneOf<T extends string>(f: Found | undefined, allowed: readonly T[], normalise: (s: string) => string): T | undefined {
  const v = text(f);
  if (v === undefined || f === undefined) return undefined;
  const n = normalise(v);
  return (allowed as readonly string[]).includes(n) ? (n as T) : fail(f.path, `is '${v}'; expected one of ${allowed.join(', ')}`);
}
