import { AuthError } from '../errors.js';

/** A request body of the BFF's own routes is a small JSON object at most. */
const MAX_BODY = 4096;

/** A small body as text, read no further than `MAX_BODY` bytes. */
async function smallBody(req: Request): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BODY) {
      await reader.cancel();
      throw new AuthError('invalid_config', 'the request body is too large');
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

/** The request's JSON object body (`{}` when empty); anything else is `invalid_config`. */
export async function readJsonBody(req: Request): Promise<Record<string, unknown>> {
  const text = await smallBody(req);
  if (!text.trim()) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new AuthError('invalid_config', 'the request body is not JSON', { cause });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AuthError('invalid_config', 'the request body is not a JSON object');
  return body as Record<string, unknown>;
}
