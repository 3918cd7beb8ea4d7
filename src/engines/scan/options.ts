import type { AuthCredential } from './auth.js';
import type { ScanRule } from './context.js';
import type { Tier } from './tiers.js';

export interface ScanOptions {
  /** Base URL of the API, http or https. */
  target: string;
  /** A spec file or URL; without it, well-known locations are tried. */
  spec?: string;
  /** Parsed credentials, or the --auth syntax (basic:USER:PASS, bearer:TOKEN, header:NAME:VALUE, cookie:NAME=VALUE). */
  auth?: AuthCredential | string;
  /** A username that exists, for the enumeration check. */
  knownUser?: string;
  tier?: Tier;
  /** Total requests the run may send (default from the tier). */
  maxRequests?: number;
  /** Requests in flight per host. */
  concurrency?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Total time cap of the run. */
  maxDurationMs?: number;
  /** Response body cap in bytes (decoded). */
  bodyCap?: number;
  /** Go on when the certificate does not verify (the finding stays). */
  insecure?: boolean;
  /** Only these rules (tests, `--rule`); default: every scan rule. */
  rules?: readonly ScanRule[];
}

export interface ScanProgress {
  phase: 'connect' | 'discover' | 'baseline' | 'rules' | 'done';
  sent: number;
  maxRequests: number;
  rule?: string;
}

export interface ScanHooks {
  onProgress?: (progress: ScanProgress) => void;
  /** Every exchange as it is recorded, fully redacted (request and response), for an evidence log. */
  onExchange?: (exchange: RecordedExchange) => void;
}

/** An exchange as written to an evidence log. */
export interface RecordedExchange {
  id: number;
  tag: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  status?: number;
  responseHeaders?: Record<string, string>;
  body?: string;
  elapsedMs?: number;
  error?: string;
}

export const SCAN_DEFAULTS = { concurrency: 4, timeoutMs: 10_000, maxDurationMs: 300_000 } as const;
