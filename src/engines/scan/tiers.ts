/** What each --tier spends: more requests, more depth. Rules read their share from here. */
export type Tier = 'quick' | 'standard' | 'deep';
export const TIERS: readonly Tier[] = ['quick', 'standard', 'deep'];

export interface TierLimits {
  /** Default --max-requests. */
  maxRequests: number;
  /** Read-only operations given a baseline request (anonymous, and authenticated when --auth is set). */
  operations: number;
  /** Well-known spec locations tried when --spec is absent. */
  specLocations: number;
  /** Auth-gated operations that get the malformed-credential probes. */
  malformedTargets: number;
  /** Failed logins sent to look for throttling; 0 skips the check. */
  bruteForceAttempts: number;
  /** Samples per group for the enumeration timing test; 0 keeps only the response comparison. */
  timingSamples: number;
  /** Auth-gated operations probed for HEAD/OPTIONS bypass. */
  methodBypassTargets: number;
  /** Well-known username:password pairs tried on the Basic login target; 0 skips the check. */
  defaultCredentials: number;
}

export const TIER_LIMITS: Record<Tier, TierLimits> = {
  quick: { maxRequests: 150, operations: 60, specLocations: 4, malformedTargets: 1, bruteForceAttempts: 0, timingSamples: 0, methodBypassTargets: 5, defaultCredentials: 2 },
  standard: { maxRequests: 600, operations: 200, specLocations: 12, malformedTargets: 2, bruteForceAttempts: 20, timingSamples: 20, methodBypassTargets: 20, defaultCredentials: 6 },
  deep: { maxRequests: 2000, operations: 600, specLocations: 12, malformedTargets: 5, bruteForceAttempts: 30, timingSamples: 40, methodBypassTargets: 60, defaultCredentials: 10 },
};

export function isTier(value: string): value is Tier {
  return (TIERS as readonly string[]).includes(value);
}
