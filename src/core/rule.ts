import { z } from 'zod';
import { CONFIDENCES, SEVERITIES, type Confidence, type Severity } from './severity.js';
import { isCategoryId, isOwaspId, type CategoryId, type OwaspId } from './taxonomy.js';

export const ENGINES = ['scan', 'code', 'probe', 'watch'] as const;
export type Engine = (typeof ENGINES)[number];

/** Where each engine's rule ids must start (ids are public: users suppress and baseline by them). */
export const RULE_ID_PREFIXES: Record<Engine, readonly string[]> = {
  scan: ['auth.', 'exposure.', 'cors.', 'tls.', 'headers.', 'inventory.', 'access.', 'resource.'],
  code: ['py.'],
  probe: ['probe.'],
  watch: ['watch.'],
};

/** Everything a user, a reporter or a doc page needs to know about a rule. */
export interface RuleMeta {
  id: string;
  engine: Engine;
  title: string;
  category: CategoryId;
  severity: Severity;
  confidence: Confidence;
  /** CWE numbers, most specific first. */
  cwe: number[];
  owasp: OwaspId[];
  /** One or two sentences: what is wrong and why it matters. */
  summary: string;
  /** Markdown: the concrete fix, with a code sketch where it helps. */
  remediation: string;
  references: string[];
  /** Scan and probe rules: whether they send crafted traffic (active) or only read (passive). */
  mode?: 'active' | 'passive';
  /** Scan and probe rules: the most requests one run of the rule may send, per operation where it says so. */
  budget?: number;
}

/** A rule is its metadata plus a check whose context type belongs to its engine. */
export type Rule<Context, Result = void> = RuleMeta & { check: (context: Context) => Result | Promise<Result> };

const RULE_ID = /^[a-z][a-z0-9]*(\.[a-z0-9]+(-[a-z0-9]+)*)+$/;

export const ruleMetaSchema = z
  .object({
    id: z.string().regex(RULE_ID, 'dotted lower-case id such as auth.missing-challenge'),
    engine: z.enum(ENGINES),
    title: z.string().min(8).max(100),
    category: z.string().refine(isCategoryId, 'unknown category'),
    severity: z.enum(SEVERITIES),
    confidence: z.enum(CONFIDENCES),
    cwe: z.array(z.number().int().positive()).min(1),
    owasp: z.array(z.string().refine(isOwaspId, 'unknown OWASP id')).min(1),
    summary: z.string().min(30),
    remediation: z.string().min(40),
    references: z.array(z.string().url()).min(1),
    mode: z.enum(['active', 'passive']).optional(),
    budget: z.number().int().nonnegative().optional(),
  })
  .passthrough()
  .superRefine((meta, ctx) => {
    if (!RULE_ID_PREFIXES[meta.engine].some((prefix) => meta.id.startsWith(prefix))) {
      ctx.addIssue({ code: 'custom', message: `id must start with one of ${RULE_ID_PREFIXES[meta.engine].join(' ')}` });
    }
    if ((meta.engine === 'scan' || meta.engine === 'probe') && (meta.mode === undefined || meta.budget === undefined)) {
      ctx.addIssue({ code: 'custom', message: `${meta.engine} rules declare mode and budget` });
    }
  });

/** Problems with a rule's metadata, as readable lines; empty when it is complete. */
export function validateRuleMeta(meta: RuleMeta): string[] {
  const result = ruleMetaSchema.safeParse(meta);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${meta.id}: ${issue.path.join('.') || 'rule'}: ${issue.message}`);
}

/** Identity function that pins the types; engines wrap it with their own context type. */
export function defineRule<Context, Result = void>(rule: Rule<Context, Result>): Rule<Context, Result> {
  return rule;
}

/** Only the metadata, for reports and docs (drops the check). */
export function metaOf(rule: RuleMeta): RuleMeta {
  const { check: _check, ...meta } = rule as RuleMeta & { check?: unknown };
  return meta;
}

export function cweId(n: number): string {
  return `CWE-${n}`;
}

export function ruleDocsPath(id: string): string {
  return `docs/rules/${id}.md`;
}
