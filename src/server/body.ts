import { AuthError } from '../errors.js';

/** A request body of the BFF's own routes is a small JSON object at most. */
const MAX_BODY = 4096;

/**
 * A small body as text, read no further than `MAX_BODY` bytes and within `timeoutMs` (the config's
 * requestTimeout): a client that sends the headers and then stalls gets no hold on the handler.
 */
async function smallBody(req: Request, timeoutMs: number): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AuthError('network_error', `the request body did not arrive within ${timeoutMs} ms`)), timeoutMs);
  });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { value, done } = await Promise.race([reader.read(), late]);
      if (done) break;
      size += value.length;
      if (size > MAX_BODY) throw new AuthError('invalid_config', 'the request body is too large');
      chunks.push(value);
    }
  } catch (e) {
    void reader.cancel().catch(() => undefined);
    throw e;
  } finally {
    clearTimeout(timer);
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
export async function readJsonBody(req: Request, timeoutMs: number): Promise<Record<string, unknown>> {
  const text = await smallBody(req, timeoutMs);
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
