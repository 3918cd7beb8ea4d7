import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../src/reporters/json.js';
import { validateReport } from '../src/core/report-schema.js';
import { finding, reportOf, testRule } from './fixtures/findings.js';
import { runCli } from './helpers/cli.js';
import { validateSarif } from './helpers/sarif-schema.js';

const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-cli-'));
const saved = path.join(dir, 'report.json');
writeFileSync(saved, renderJson(reportOf([finding('auth.a', 'high', { key: 'a' }), finding('auth.b', 'low', { key: 'b' })], [testRule('auth.a'), testRule('auth.b', 'low')])));

/** A one-line error: no stack frames, no multi-line dumps. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('portcullis CLI', () => {
  it('prints its version and help', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['rules', 'demo', 'report']) expect(help.stdout).toContain(command);
  });

  it('exits 2 with one line for an unknown command', async () => {
    const r = await runCli(['nosuchcommand']);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /unknown command 'nosuchcommand'/);
  });

  it('exits 2 with one line for a bad --format', async () => {
    const r = await runCli(['report', saved, '--format', 'xml']);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--format.*'xml' is invalid/);
  });

  it.each([['abc'], ['101'], ['-3'], ['7.5']])('exits 2 with one line for --threshold %s', async (value) => {
    const r = await runCli(['report', saved, `--threshold=${value}`]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--threshold.*whole number from 0 to 100/);
  });

  it('exits 2 with one line for a bad --fail-on, a missing report and an unknown rule', async () => {
    const failOn = await runCli(['report', saved, '--fail-on', 'severe']);
    expect(failOn.code).toBe(2);
    expectOneLineError(failOn.stderr, /--fail-on/);
    const missing = await runCli(['report', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expectOneLineError(missing.stderr, /cannot read report .*nope\.json/);
    const rule = await runCli(['rules', 'no.such-rule']);
    expect(rule.code).toBe(2);
    expectOneLineError(rule.stderr, /unknown rule "no.such-rule"/);
  });

  it('exits 0 without a gate, 1 when the gate fails, 0 when it passes', async () => {
    expect((await runCli(['report', saved])).code).toBe(0);
    const failOn = await runCli(['report', saved, '--fail-on', 'high']);
    expect(failOn.code).toBe(1);
    expect(failOn.stderr).toContain('gate failed: 1 finding at or above high');
    expect((await runCli(['report', saved, '--fail-on', 'critical'])).code).toBe(0);
    expect((await runCli(['report', saved, '--threshold', '90'])).code).toBe(1);
    expect((await runCli(['report', saved, '--threshold', '50'])).code).toBe(0);
  });

  it('gates only on new findings against a baseline', async () => {
    const old = path.join(dir, 'old.json');
    writeFileSync(old, renderJson(reportOf([finding('auth.a', 'high', { key: 'a' })])));
    const r = await runCli(['report', saved, '--baseline', old, '--fail-on', 'low', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { baseline: { new: number; unchanged: number } };
    expect(report.baseline).toMatchObject({ new: 1, unchanged: 1 });
    expect((await runCli(['report', saved, '--baseline', old, '--fail-on', 'high'])).code).toBe(0);
  });

  it('writes several formats in one run, each valid', async () => {
    const sarif = path.join(dir, 'out.sarif');
    const json = path.join(dir, 'out.json');
    const r = await runCli(['report', saved, '--format', 'markdown', '--report', `sarif=${sarif}`, '--report', `json=${json}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('grade **C** (74/100)');
    expect(validateSarif(JSON.parse(readFileSync(sarif, 'utf8')))).toEqual([]);
    expect(validateReport(JSON.parse(readFileSync(json, 'utf8')))).toEqual([]);
  });

  it('honours the config file: ignore list and default gate', async () => {
    const config = path.join(dir, 'portcullis.yml');
    writeFileSync(config, 'failOn: low\nignore:\n  - auth.b\n');
    const r = await runCli(['report', saved, '--config', config, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string }[]; stats: { suppressed: number } };
    expect(report.findings.map((f) => f.ruleId)).toEqual(['auth.a']);
    expect(report.stats.suppressed).toBe(1);
  });

  it('demo prints a schema-valid JSON report with at least three findings, and valid SARIF', async () => {
    const json = await runCli(['demo', '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { findings: { ruleId: string }[] };
    expect(validateReport(report)).toEqual([]);
    expect(report.findings.length).toBeGreaterThanOrEqual(3);
    // The demo API logs passwords on purpose; that log must not mix into the report or the terminal.
    expect(json.stdout + json.stderr).not.toContain('login attempt');
    const sarif = await runCli(['demo', '--format', 'sarif', '--quiet']);
    expect(sarif.code).toBe(0);
    expect(validateSarif(JSON.parse(sarif.stdout))).toEqual([]);
    expect(sarif.stderr).toBe('');
  });

  it('uses colour only on a terminal', async () => {
    const r = await runCli(['report', saved], { env: { NO_COLOR: '' } });
    expect(r.stdout).not.toContain('\u001b[');
  });
});
