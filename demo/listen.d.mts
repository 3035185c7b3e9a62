// Types for listen.mjs.
import type { Server } from 'node:net';

/** Listen on 127.0.0.1 only (0 = any free port); resolves with the port taken. */
export function listen(server: Server, port: number): Promise<number>;
