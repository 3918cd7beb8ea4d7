/** Probe settings a user does not give; their own module so the CLI defines options without loading the engine. */
export const PROBE_DEFAULTS = {
  requests: 20_000,
  timeCapMs: 40_000,
  readyTimeoutMs: 30_000,
  connections: 8,
  burst: 30,
  canaries: 3,
  settleMs: 1000,
} as const;
