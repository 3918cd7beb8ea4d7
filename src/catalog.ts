import type { RuleMeta } from './core/rule.js';
import { CODE_RULES } from './engines/code/rules/index.js';
import { PROBE_RULES } from './engines/probe/rules/index.js';
import { SCAN_RULES } from './engines/scan/rules/index.js';
import { WATCH_RULES } from './engines/watch/rules/index.js';

/**
 * Every rule of every engine, for `portcullis rules`, the docs generator and the catalog test.
 * Engines add their registry here with one import; nothing is discovered from the file system.
 */
export const ALL_RULES: readonly RuleMeta[] = [...SCAN_RULES, ...CODE_RULES, ...PROBE_RULES, ...WATCH_RULES];

export function findRule(id: string): RuleMeta | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
