import { randomBytes } from 'node:crypto';
import type { FindingInput } from '../../core/finding.js';
import { defineRule, type Rule } from '../../core/rule.js';
import type { Exchange, Requester } from '../../http/client.js';
import type { CertificateResult } from '../../http/tls.js';
import type { ApiModel, Operation } from '../../openapi/types.js';
import type { AuthCredential } from './auth.js';
import type { NotFoundProfile } from './not-found.js';
import type { Tier, TierLimits } from './tiers.js';

/** The baseline answers of one read-only operation. */
export interface OperationProbe {
  operation: Operation;
  /** Without credentials. */
  anonymous: Exchange;
  /** With the --auth credentials, when given. */
  authenticated?: Exchange;
}

/** Random values sent as passwords by active probes, so a reflection is proof and never a guess. */
export class Canaries {
  private readonly values = new Set<string>();

  /** A fresh canary password. */
  next(): string {
    const value = `pcanary${randomBytes(6).toString('hex')}`;
    this.values.add(value);
    return value;
  }

  all(): readonly string[] {
    return [...this.values];
  }
}

/** Everything a scan rule may use; all its traffic goes through `client`. */
export interface ScanContext {
  target: URL;
  tier: Tier;
  limits: TierLimits;
  /** The run's client, capped at the running rule's declared budget. */
  client: Requester;
  api?: ApiModel;
  /** Every operation known (spec, target URL, common paths), including non read-only ones. */
  operations: readonly Operation[];
  /** Baseline answers of the read-only operations, in operation order. */
  probes: readonly OperationProbe[];
  notFound: NotFoundProfile;
  auth?: AuthCredential;
  /** Headers that carry the --auth credentials (empty without). */
  authHeaders: Record<string, string>;
  knownUser?: string;
  canaries: Canaries;
  /** Outcome of verifying the target's certificate (https targets only). */
  certificate?: CertificateResult;
  /** Adds a finding of the running rule; message and evidence are redacted on the way. */
  report(input: FindingInput): void;
  /** Adds a warning to the report (a check that could not conclude, a limit reached). */
  warn(message: string): void;
}

export type ScanRule = Rule<ScanContext, void> & { mode: 'active' | 'passive'; budget: number };

export function defineScanRule(rule: Omit<ScanRule, 'engine'>): ScanRule {
  return defineRule<ScanContext, void>({ ...rule, engine: 'scan' }) as ScanRule;
}

/**
 * Runs `check` for every item at once (the client's per-host limit still applies) and waits for all
 * of them, so no request of a rule is still in flight when the next rule starts; then rethrows the
 * first failure (a budget or time limit) as a sequential loop would.
 */
export async function forEachInParallel<T>(items: readonly T[], check: (item: T) => Promise<void>): Promise<void> {
  const settled = await Promise.allSettled(items.map(check));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}
