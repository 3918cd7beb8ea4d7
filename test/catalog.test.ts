import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../src/catalog.js';
import { validateRuleMeta } from '../src/core/rule.js';
import { expectedRuleDocs } from '../src/core/rule-docs-files.js';
import { ROOT } from './helpers/processes.js';

/** Every file under a folder, recursively. */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

const sources = walk(path.join(ROOT, 'src/engines'));
const fixtures = walk(path.join(ROOT, 'test/fixtures/code'));
const fixtureText = fixtures.filter((f) => f.endsWith('.py')).map((f) => readFileSync(f, 'utf8')).join('\n');

describe('rule catalog', () => {
  it('has unique ids', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it.each(ALL_RULES.map((r) => [r.id, r] as const))('%s has complete metadata', (_id, rule) => {
    expect(validateRuleMeta(rule)).toEqual([]);
  });

  it.each(ALL_RULES.map((r) => [r.id, r] as const))('%s lives in a file named after its last id segment, with tests', (_id, rule) => {
    const slug = rule.id.split('.').at(-1)!;
    const file = sources.find((f) => f.includes(`${path.sep}${rule.engine}${path.sep}`) && path.basename(f) === `${slug}.ts`);
    expect(file, `src/engines/${rule.engine}/**/${slug}.ts`).toBeDefined();
    if (rule.engine === 'code') {
      // Annotated fixtures: a line that must be flagged and a near miss that must not.
      expect(fixtureText, `# expect: ${rule.id}`).toMatch(new RegExp(`#\\s*expect:.*\\b${rule.id.replaceAll('.', '\\.')}\\b`));
      expect(fixtureText, `# ok: ${rule.id}`).toMatch(new RegExp(`#\\s*ok:.*\\b${rule.id.replaceAll('.', '\\.')}\\b`));
    } else {
      const testFile = file!.replace(/\.ts$/, '.test.ts');
      expect(existsSync(testFile), testFile).toBe(true);
      const text = readFileSync(testFile, 'utf8');
      expect(text, 'a positive case').toMatch(/positive/i);
      expect(text, 'a negative case').toMatch(/negative/i);
    }
  });

  it('docs/rules is generated and current (npm run docs)', () => {
    const dir = path.join(ROOT, 'docs/rules');
    const expected = expectedRuleDocs(ALL_RULES);
    const present = existsSync(dir) ? readdirSync(dir).sort() : [];
    expect(present).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect(readFileSync(path.join(dir, name), 'utf8'), name).toBe(text);
  });
});
