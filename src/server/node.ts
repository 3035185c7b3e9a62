/**
 * The BFF on Node's `http` server, Express and Connect-style middleware (Fastify through
 * `@fastify/middie`). Written against the shapes of `IncomingMessage` / `ServerResponse` with
 * no import of Node modules, so the package's server entry loads on edge runtimes too.
 */
import type { CognitoBff } from './types.js';

/** The parts of `http.IncomingMessage` (or Express's request) the adapter reads. */
export interface NodeRequestLike extends AsyncIterable<unknown> {
  method?: string;
  url?: string;
  /** Express: the URL before a mount path was stripped. */
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  /** A body an earlier middleware parsed (express.json(), express.raw(), ...). */
  body?: unknown;
  readableEnded?: boolean;
}

/** The parts of `http.ServerResponse` the adapter writes. */
export interface NodeResponseLike {
  statusCode: number;
  headersSent?: boolean;
  setHeader(name: string, value: string | string[]): unknown;
  write(chunk: Uint8Array): boolean;
  end(chunk?: string): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  writableFinished?: boolean;
}

export type NodeHandler<Req extends NodeRequestLike = NodeRequestLike, Res extends NodeResponseLike = NodeResponseLike> = (
  req: Req,
  res: Res,
  next?: (err?: unknown) => void,
) => Promise<void>;

function bodyOf(req: NodeRequestLike): BodyInit | null {
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return null;
  const parsed = req.body;
  if (parsed !== undefined && req.readableEnded) {
    // An earlier middleware read the stream: hand on what it parsed.
    if (typeof parsed === 'string' || parsed instanceof Uint8Array) return parsed as BodyInit;
    return parsed === null || (typeof parsed === 'object' && Object.keys(parsed as object).length === 0) ? null : JSON.stringify(parsed);
  }
  const it = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      const { value, done } = await it.next();
      if (done) ctrl.close();
      else ctrl.enqueue(typeof value === 'string' ? new TextEncoder().encode(value) : (value as Uint8Array));
    },
    async cancel() {
      await it.return?.();
    },
  });
}

function toRequest(req: NodeRequestLike, signal: AbortSignal): Request | null {
  const path = req.originalUrl ?? req.url ?? '/';
  // Only origin-form targets ("/path?query"): the path is appended, never resolved, so "//host/x" stays a path.
  if (!path.startsWith('/')) return null;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue; // HTTP/2 pseudo-headers
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const body = bodyOf(req);
  const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers, signal };
  if (body !== null) {
    init.body = body;
    init.duplex = 'half';
  }
  return new Request(`http://localhost${path}`, init);
}

async function send(res: NodeResponseLike, answer: Response): Promise<void> {
  res.statusCode = answer.status;
  for (const [name, value] of answer.headers) if (name !== 'set-cookie') res.setHeader(name, value);
  const cookies = answer.headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
  if (!answer.body) {
    res.end();
    return;
  }
  const reader = answer.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!res.write(value)) await new Promise<void>((r) => res.once('drain', r));
  }
  res.end();
}

/**
 * Adapt the BFF to Node's request listener and to Connect / Express middleware. A request that is
 * not the BFF's goes to `next` (middleware), else to `fallback`, else gets a 404.
 *
 * @example
 * // node:http
 * http.createServer(toNodeHandler(bff, (req, res) => serveTheApp(req, res))).listen(3000);
 * // Express (before any body parser)
 * app.use(toNodeHandler(bff));
 */
export function toNodeHandler<Req extends NodeRequestLike = NodeRequestLike, Res extends NodeResponseLike = NodeResponseLike>(
  bff: CognitoBff,
  fallback?: (req: Req, res: Res) => unknown,
): NodeHandler<Req, Res> {
  return async (req, res, next) => {
    const ctrl = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) ctrl.abort(); // the client went away: stop a proxied upstream request
    });
    try {
      const request = toRequest(req, ctrl.signal);
      const answer = request ? await bff.handler(request) : new Response('Bad request target\n', { status: 400 });
      if (answer) await send(res, answer);
      else if (next) next();
      else if (fallback) await fallback(req, res);
      else {
        res.statusCode = 404;
        res.end('Not found\n');
      }
    } catch (e) {
      if (next) return next(e);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }
  };
}
