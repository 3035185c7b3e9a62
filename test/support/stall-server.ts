/**
 * A real HTTP server on 127.0.0.1 that answers every request with its status line and headers,
 * then a first piece of the body, and then stalls: the body never ends. `close()` drops every
 * connection it holds.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface StallServer {
  origin: string;
  /** Requests received, as `METHOD path`. */
  hits: string[];
  close(): Promise<void>;
}

export async function startStallServer(): Promise<StallServer> {
  const sockets = new Set<Socket>();
  const held: ServerResponse[] = [];
  const hits: string[] = [];
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      // A CORS preflight is answered whole: the stall is in the real request's body.
      res.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': '*', 'Access-Control-Allow-Headers': '*' });
      res.end();
      return;
    }
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
    res.write('{"keys": [{"kty": "RSA", "n": "'); // headers sent, a piece of the body, then nothing
    held.push(res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
