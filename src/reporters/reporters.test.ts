import { describe, expect, it } from 'vitest';
import { reportOf, testRule } from '../../test/fixtures/findings.js';
import { HOSTILE, hostileReport } from '../../test/fixtures/hostile-report.js';
import { validateSarif } from '../../test/helpers/sarif-schema.js';
import { createFinding } from '../core/finding.js';
import { buildReport } from '../core/report.js';
import { validateReport } from '../core/report-schema.js';
import { FORMATS, render, type Format } from './index.js';

const report = hostileReport();
const outputs = Object.fromEntries(
  (Object.keys(FORMATS) as Format[]).map((format) => [format, render(report, format, { color: true })]),
) as Record<Format, string>;

describe('every reporter against hostile evidence', () => {
  it.each(Object.keys(FORMATS) as Format[])('%s never passes ANSI escapes, NUL or bidi overrides through raw', (format) => {
    const out = outputs[format];
    // JSON escapes control characters itself (\u001b), so a raw ESC/NUL/RLO byte is a leak in any format.
    expect(out.includes('\u001b[2J')).toBe(false);
    expect(out.includes('\u0000')).toBe(false);
    expect(out.includes('\u202e')).toBe(false);
  });

  it.each(Object.keys(FORMATS) as Format[])('%s caps a megabyte of evidence', (format) => {
    expect(outputs[format].length).toBeLessThan(60_000);
  });

  it('text keeps colour codes of its own only when asked, and shows the escapes as text', () => {
    expect(outputs.text).toContain('\\x1b[2J');
    const plain = render(report, 'text', { color: false });
    expect(plain.includes('\u001b')).toBe(false);
    expect(plain).toContain('Grade');
  });

  it('html escapes markup and loads nothing external', () => {
    expect(outputs.html).not.toContain('<script>');
    expect(outputs.html).not.toContain('<img src=x');
    expect(outputs.html).toContain('&lt;script&gt;');
    expect(outputs.html).not.toMatch(/(src|href)=["']?https?:/);
    expect(outputs.html).toContain('<svg');
  });

  it('junit is well-formed: hostile text cannot close elements', () => {
    expect(outputs.junit).not.toContain('<injected');
    expect(outputs.junit).not.toContain('<script>');
    const failures = outputs.junit.match(/<failure /g) ?? [];
    expect(failures).toHaveLength(2);
    expect(outputs.junit).toMatch(/<testcase classname="scan" name="auth.test-hostile: A rule used by reporter tests">/);
  });

  it('markdown draws measured series as sparklines, names escaped', () => {
    const measured = buildReport({
      engine: 'probe', target: 'app', startedAt: new Date('2026-01-01T00:00:00Z'), findings: [], rules: [],
      series: [{ name: 'RSS | <b>@everyone</b>', xLabel: 'requests', yLabel: 'MiB', points: [[0, 10], [100, 20], [200, 40]] }],
    });
    const md = render(measured, 'markdown', { color: false });
    expect(md).toMatch(/\*\*Measurements\*\*\n\n- .*: `[▁▂▃▄▅▆▇█]{3,}` MiB 10 to 40/);
    expect(md).not.toContain('<b>');
    expect(md).not.toContain('@everyone');
  });

  it('markdown neutralises tables, links, mentions and HTML', () => {
    expect(outputs.markdown).not.toContain('[click](javascript');
    expect(outputs.markdown).not.toContain('@everyone');
    expect(outputs.markdown).not.toContain('<b>');
    const rows = outputs.markdown.split('\n').filter((l) => l.startsWith('| 🟥') || l.startsWith('| 🟧'));
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(6);
  });

  it('github annotations cannot forge a second workflow command', () => {
    const lines = outputs.github.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) /);
    expect(lines[0]).toMatch(/^::error file=src\/.*,line=3,title=auth.test-hostile%3A A rule used by reporter tests::/);
  });

  it('gcc gives one file:line or METHOD url line per finding', () => {
    const lines = outputs.gcc.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^src\/.*\.py:3:1: error: .* \[auth.test-hostile\]$/);
    expect(lines[1]).toMatch(/^GET http:\/\/127.0.0.1:1\/x\?q=.*: error: .*\[auth.test-hostile\]$/);
  });

  it('json validates against the committed schema and keeps hostile text as data', () => {
    const parsed = JSON.parse(outputs.json) as unknown;
    expect(validateReport(parsed)).toEqual([]);
    expect(outputs.json).toContain('\\u001b[2J');
  });

  it('sarif validates against the official SARIF 2.1.0 schema with what GitHub reads', () => {
    const log = JSON.parse(outputs.sarif) as {
      runs: { tool: { driver: { rules: { properties: Record<string, unknown>; help: { markdown: string } }[] } }; results: { partialFingerprints: Record<string, string>; locations: unknown[] }[] }[];
    };
    expect(validateSarif(log)).toEqual([]);
    const run = log.runs[0]!;
    expect(run.tool.driver.rules[0]!.properties['security-severity']).toBe('8.0');
    expect(run.tool.driver.rules[0]!.help.markdown).toContain('Escape untrusted strings');
    expect(run.results).toHaveLength(2);
    for (const result of run.results) {
      expect(Object.values(result.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}/);
      expect(result.locations.length).toBe(1);
    }
    expect(JSON.stringify(log)).not.toContain(HOSTILE.huge);
  });
});

describe('text report fixes', () => {
  it("shows a rule's code sketch at its first finding only", () => {
    const rule = { ...testRule('auth.sketched'), remediation: 'Compare in constant time:\n\n```python\nsecrets.compare_digest(a, b)\n```\n' };
    const at = (path: string) => createFinding(rule, { message: `at ${path}`, location: { method: 'GET', path } });
    const text = render(reportOf([at('/a'), at('/b')], [rule]), 'text', { color: false });
    expect(text.match(/secrets\.compare_digest\(a, b\)/g)).toHaveLength(1);
    expect(text).toContain('fix: Compare in constant time:');
    expect(text).toContain('fix: Compare in constant time (sketch above).');
  });
});
