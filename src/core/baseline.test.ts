import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { finding, reportOf } from '../../test/fixtures/findings.js';
import { renderJson } from '../reporters/json.js';
import { applyBaseline, loadBaseline } from './baseline.js';
import { ToolError } from './errors.js';
import { evaluateGate } from './gate.js';
import { validateReport } from './report-schema.js';

const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-baseline-'));

describe('baseline diffing', () => {
  const kept = finding('auth.kept', 'high', { key: 'k' });
  const fixed = finding('auth.fixed', 'medium', { key: 'f' });
  const added = finding('auth.added', 'critical', { key: 'n' });
  const old = reportOf([kept, fixed]);
  const now = reportOf([kept, added]);

  it('splits findings into new, unchanged and fixed by fingerprint', () => {
    const diffed = applyBaseline(now, old, 'old.json');
    expect(diffed.findings.map((f) => [f.ruleId, f.baseline])).toEqual([
      ['auth.added', 'new'],
      ['auth.kept', 'unchanged'],
    ]);
    expect(diffed.baseline).toMatchObject({ new: 1, unchanged: 1 });
    expect(diffed.baseline!.fixed.map((f) => f.ruleId)).toEqual(['auth.fixed']);
    expect(validateReport(JSON.parse(renderJson(diffed)))).toEqual([]);
  });

  it('gates only on new findings', () => {
    const noNew = applyBaseline(reportOf([kept]), old, 'old.json');
    expect(evaluateGate(noNew, { failOn: 'high', threshold: 90 }).passed).toBe(true);
    const withNew = applyBaseline(now, old, 'old.json');
    const gate = evaluateGate(withNew, { failOn: 'high' });
    expect(gate.passed).toBe(false);
    expect(gate.reasons[0]).toContain('1 new finding at or above high');
  });

  it('round-trips through a JSON report file', async () => {
    const file = path.join(dir, 'old.json');
    writeFileSync(file, renderJson(old));
    const loaded = await loadBaseline(file);
    expect(applyBaseline(now, loaded, file).baseline!.fixed).toHaveLength(1);
  });

  it('rejects files that are not reports with one clear error', async () => {
    const notJson = path.join(dir, 'x.txt');
    writeFileSync(notJson, 'hello');
    await expect(loadBaseline(notJson)).rejects.toThrow(ToolError);
    await expect(loadBaseline(notJson)).rejects.toThrow(/is not JSON/);
    const wrong = path.join(dir, 'y.json');
    writeFileSync(wrong, '{"a":1}');
    await expect(loadBaseline(wrong)).rejects.toThrow(/not a portcullis JSON report/);
    await expect(loadBaseline(path.join(dir, 'missing.json'))).rejects.toThrow(/cannot read baseline/);
  });
});

describe('gate without a baseline', () => {
  it('passes clean reports and fails on threshold or severity', () => {
    expect(evaluateGate(reportOf([]), { threshold: 100, failOn: 'info' }).passed).toBe(true);
    const r = reportOf([finding('auth.a', 'medium')]);
    expect(evaluateGate(r, { failOn: 'high' }).passed).toBe(true);
    expect(evaluateGate(r, { failOn: 'medium' }).passed).toBe(false);
    expect(evaluateGate(r, { threshold: 93 }).reasons[0]).toMatch(/^score 92 is below the threshold 93$/);
    expect(evaluateGate(r, {}).passed).toBe(true);
  });
});

describe('report building', () => {
  it('numbers distinct occurrences that share a fingerprint, drops exact repeats', () => {
    const a = finding('auth.a', 'low', { location: { file: 'x.py', line: 1 }, message: 'one' });
    const b = finding('auth.a', 'low', { location: { file: 'x.py', line: 9 }, message: 'two' });
    const report = reportOf([a, b, a]);
    expect(report.findings.map((f) => f.fingerprint)).toEqual([a.fingerprint, `${a.fingerprint}:2`]);
    expect(validateReport(JSON.parse(renderJson(report)))).toEqual([]);
  });

  it('scores each category over its own findings', () => {
    const report = reportOf([finding('auth.a', 'critical')]);
    expect(report.categories).toEqual([expect.objectContaining({ id: 'authentication', findings: 1, grade: 'F' })]);
    expect(report.scoreExplanation.join('\n')).toContain('auth.a');
  });
});

it('ToolError carries exit code 2 by default', () => {
  expect(new ToolError('x').exitCode).toBe(2);
});
