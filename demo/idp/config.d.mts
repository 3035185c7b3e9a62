// Types for config.mjs (the command line's settings).
import type { IdpOptions } from './server.d.mts';

export class ConfigError extends Error {}
export const USAGE: string;
export function parseArgs(argv: string[]): Record<string, unknown>;
export function resolveSettings(argv: string[], env: Record<string, string | undefined>): { options: IdpOptions; json: boolean; help: boolean };
