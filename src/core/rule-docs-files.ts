import type { RuleMeta } from './rule.js';
import { ruleDoc, ruleIndexDoc } from './rule-docs.js';

/** File name -> content of everything docs/rules/ must hold for these rules. */
export function expectedRuleDocs(rules: readonly RuleMeta[]): Map<string, string> {
  const files = new Map<string, string>([['README.md', ruleIndexDoc(rules)]]);
  for (const rule of rules) files.set(`${rule.id}.md`, ruleDoc(rule));
  return files;
}
