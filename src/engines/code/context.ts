import { createFinding, type Finding } from '../../core/finding.js';
import { defineRule, type Rule, type RuleMeta } from '../../core/rule.js';
import type { AuthAnalysis } from './python/auth.js';
import type { Project } from './python/project.js';

/** What a code rule sees: the project index and the auth analysis built over it. */
export interface CodeContext {
  project: Project;
  auth: AuthAnalysis;
}

export interface CodeHit {
  file: string;
  line: number;
  message: string;
  /** Stable identity of the occurrence (a function name, a container), never a line number. */
  key: string;
  evidence?: string;
  details?: Record<string, unknown>;
}

export type CodeRule = Rule<CodeContext, CodeHit[]>;

export function defineCodeRule(rule: Omit<CodeRule, 'engine'>): CodeRule {
  return defineRule<CodeContext, CodeHit[]>({ ...rule, engine: 'code' });
}

export function toFinding(rule: RuleMeta, hit: CodeHit): Finding {
  return createFinding(rule, {
    message: hit.message,
    location: { file: hit.file, line: hit.line },
    key: hit.key,
    ...(hit.evidence !== undefined ? { evidence: hit.evidence } : {}),
    ...(hit.details !== undefined ? { details: hit.details } : {}),
  });
}
