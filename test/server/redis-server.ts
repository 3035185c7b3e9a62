// A real Redis server for the tests: Debian's redis-server (`.ci/run` installs it), on 127.0.0.1
// and a free port, in memory only, stopped by the test that started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

const REDIS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function attempt(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(REDIS as string, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'notice'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => done(new Error(`redis-server did not start: ${out}`)), 10_000);
    const done = (err?: Error): void => {
      clearTimeout(timer);
      child.stdout?.removeAllListeners('data');
      if (err) {
        child.kill('SIGKILL');
        reject(err);
      } else resolve(child);
    };
    child.once('exit', (code) => done(new Error(`redis-server exited (${code}): ${out}`)));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (/ready to accept connections/i.test(out)) done();
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  });
}

/** Start redis-server; a port taken meanwhile by someone else is tried again with another. */
export async function startRedis(): Promise<RedisServer> {
  if (!REDIS) throw new Error('redis-server is not installed: `apt-get install -y redis-server` (CI\'s .ci/run does this)');
  let lastError: unknown;
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    try {
      const child = await attempt(port);
      child.removeAllListeners('exit');
      return {
        url: `redis://127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}
