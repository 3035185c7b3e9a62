// Types for bundle.mjs (the consumer-app builder shared by the bench and test/size).
import type { Plugin, RollupLog } from 'rollup';

export declare const rollupVersion: string;
export declare const benchDir: string;
export declare const rootDir: string;
export declare const appsDir: string;
export declare const outDir: string;
export declare const distDir: string;
export declare const sdkEntry: string;
export declare const sdkIife: string;
/** 1 kB = 1000 bytes. */
export declare const KB: number;
/** Size budget of this SDK, in gzip -9 bytes. */
export declare const TARGETS: { initial: number; signIn: number; iife: number };
export declare const SIGN_IN_LAZY: RegExp;

export interface Sizes {
  /** Bytes as written (minified). */
  min: number;
  /** gzip, level 9. */
  gzip: number;
  /** brotli, quality 11. */
  brotli: number;
}

export interface BuiltChunk {
  fileName: string;
  isEntry: boolean;
  imports: string[];
  dynamicImports: string[];
  /** The minified code. */
  code: string;
  sizes: Sizes;
}

export interface BuiltApp {
  /** File name of the entry chunk. */
  entry: string;
  chunks: BuiltChunk[];
  /** The entry chunk and what it imports statically. */
  initial: { count: number; sizes: Sizes };
  /** What the app's sign-in path loads: the initial chunks and the lazy chunks `signInLazy` names. */
  signIn: { count: number; sizes: Sizes; files: string[] };
  /** Every chunk, lazy ones included. */
  all: { count: number; sizes: Sizes };
  warnings: number;
}

export interface BuildOptions {
  /** Write the output here (emptied first); null or absent: in memory only. */
  dir?: string | null;
  /** Extra plugins before node-resolve. */
  before?: Plugin[];
  /** Extra plugins after node-resolve. */
  after?: Plugin[];
  /** Non-fatal warnings. */
  onWarning?: (warning: RollupLog) => void;
  /** Which lazy chunks the sign-in path loads, by file name (default: all). */
  signInLazy?: RegExp | null;
}

export declare function compressedSizes(code: string | Uint8Array): Sizes;
export declare function buildApp(input: string, options?: BuildOptions): Promise<BuiltApp>;
