import type { Confidence, Severity } from './severity.js';
import type { CategoryId, OwaspId } from './taxonomy.js';
import { cweId, type RuleMeta } from './rule.js';
import { fingerprintOf } from './fingerprint.js';

/** Where a finding is: an HTTP operation for scan/probe, a source line for code, a log key for watch. */
export interface Location {
  method?: string;
  /** Path template or concrete path, without origin. */
  path?: string;
  url?: string;
  /** Relative to the scanned root, with forward slashes. */
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
}

export interface Finding {
  ruleId: string;
  category: CategoryId;
  severity: Severity;
  confidence: Confidence;
  title: string;
  /** What was found here, in one or two sentences; specific to this occurrence. */
  message: string;
  location: Location;
  /** Raw proof (request/response excerpt, source line, log lines), already redacted. */
  evidence?: string;
  remediation: string;
  cwe: string[];
  owasp: OwaspId[];
  fingerprint: string;
  /** Engine-specific structured data, e.g. the RSS series of a memory probe. */
  details?: Record<string, unknown>;
  /** Set when the report was compared with a baseline. */
  baseline?: 'new' | 'unchanged';
}

export interface FindingInput {
  message: string;
  location?: Location;
  evidence?: string;
  details?: Record<string, unknown>;
  /** Overrides the rule's default when the occurrence is worse or weaker than usual. */
  severity?: Severity;
  confidence?: Confidence;
  /**
   * What makes this occurrence unique beyond rule and location, stable across runs
   * (a function name, a header name, a username key), never a timestamp or a port.
   */
  key?: string;
}

/** Builds a finding from a rule's metadata; the fingerprint ignores line numbers and origins on purpose. */
export function createFinding(rule: RuleMeta, input: FindingInput): Finding {
  const location = input.location ?? {};
  const finding: Finding = {
    ruleId: rule.id,
    category: rule.category,
    severity: input.severity ?? rule.severity,
    confidence: input.confidence ?? rule.confidence,
    title: rule.title,
    message: input.message,
    location,
    remediation: rule.remediation,
    cwe: rule.cwe.map(cweId),
    owasp: [...rule.owasp],
    fingerprint: fingerprintOf(rule.id, location, input.key),
  };
  if (input.evidence !== undefined) finding.evidence = input.evidence;
  if (input.details !== undefined) finding.details = input.details;
  return finding;
}

export function formatLocation(location: Location): string {
  if (location.file) {
    const line = location.line === undefined ? '' : `:${location.line}${location.column === undefined ? '' : `:${location.column}`}`;
    return `${location.file}${line}`;
  }
  const where = location.path ?? location.url ?? '';
  return [location.method, where].filter(Boolean).join(' ') || '(target)';
}
