import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/core/report-schema.js';
import { analyseProject } from '../../src/engines/code/engine.js';
import { ROOT } from '../helpers/processes.js';

/**
 * The annotated-fixture runner: every folder under test/fixtures/code is a project. In its .py files
 * `# expect: <rule-id>` sits above a line that must be flagged, `# ok: <rule-id>` above a near miss
 * that must not be, and `# gap: <rule-id>` above a known miss (asserted, so fixing it is noticed).
 * A finding on a line nobody annotated fails too: fixtures are precise, not just recalled.
 * Each project is analysed twice, with and without the text prefilter, and must give the same findings.
 */
const FIXTURES = path.join(ROOT, 'test/fixtures/code');
const ANNOTATION = /^\s*#\s*(expect|ok|gap):\s*(.+)$/;

interface Annotation {
  kind: 'expect' | 'ok' | 'gap';
  rule: string;
  file: string;
  line: number;
}

function pyFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return pyFiles(full);
    return name.endsWith('.py') ? [full] : [];
  });
}

/** Annotations apply to the next line that is neither blank nor a comment. */
export function annotationsOf(projectDir: string): Annotation[] {
  const out: Annotation[] = [];
  for (const file of pyFiles(projectDir)) {
    const rel = path.relative(projectDir, file).split(path.sep).join('/');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      const match = ANNOTATION.exec(text);
      if (!match) return;
      let target = i + 1;
      while (target < lines.length && (/^\s*#/.test(lines[target]!) || lines[target]!.trim() === '')) target++;
      for (const rule of match[2]!.split(',').map((r) => r.trim().split(/\s+/)[0]!).filter(Boolean)) {
        out.push({ kind: match[1] as Annotation['kind'], rule, file: rel, line: target + 1 });
      }
    });
  }
  return out;
}

const projects = readdirSync(FIXTURES).filter((name) => statSync(path.join(FIXTURES, name)).isDirectory()).sort();
const totals = { tp: 0, fp: 0, fn: 0, gaps: 0 };

describe('annotated code fixtures', () => {
  it.each(projects)('%s', async (name) => {
    const dir = path.join(FIXTURES, name);
    const { report } = await analyseProject({ paths: [dir] });
    expect(validateReport(JSON.parse(JSON.stringify(report)))).toEqual([]);
    expect(report.errors).toEqual([]);
    const annotations = annotationsOf(dir);
    const found = new Set(report.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`));
    const key = (a: Annotation): string => `${a.rule} ${a.file}:${a.line}`;
    const missed = annotations.filter((a) => a.kind === 'expect' && !found.has(key(a))).map(key);
    const gapsFixed = annotations.filter((a) => a.kind === 'gap' && found.has(key(a))).map(key);
    const expected = new Set(annotations.filter((a) => a.kind === 'expect').map(key));
    const unexpected = [...found].filter((f) => !expected.has(f));
    totals.tp += expected.size - missed.length;
    totals.fn += missed.length + annotations.filter((a) => a.kind === 'gap' && !found.has(key(a))).length;
    totals.fp += unexpected.length;
    totals.gaps += annotations.filter((a) => a.kind === 'gap').length;
    expect({ missed, unexpected, gapsFixed }).toEqual({ missed: [], unexpected: [], gapsFixed: [] });
    // The text prefilter only saves time: parsing and analysing everything finds exactly the same.
    const everything = await analyseProject({ paths: [dir], analyseEverything: true });
    expect(everything.report.findings.map((f) => f.fingerprint).sort()).toEqual(report.findings.map((f) => f.fingerprint).sort());
  });

  afterAll(() => {
    const precision = totals.tp / Math.max(1, totals.tp + totals.fp);
    const recall = totals.tp / Math.max(1, totals.tp + totals.fn);
    console.log(`code fixtures: ${totals.tp} true positives, ${totals.fp} false positives, ${totals.fn} missed (${totals.gaps} known gaps); precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
  });
});
