import { formatLocation } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { escapeXml, truncate } from './sanitize.js';

/** One test case per rule that ran; each finding of a rule is a failure of its case. */
export function renderJunit(report: Report): string {
  const ids = [...new Set([...report.rules.map((r) => r.id), ...report.findings.map((f) => f.ruleId)])].sort();
  const failures = ids.filter((id) => report.findings.some((f) => f.ruleId === id)).length;
  const seconds = (report.durationMs / 1000).toFixed(3);
  const suiteName = `portcullis ${report.engine}`;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="${escapeXml(suiteName)}" tests="${ids.length + report.errors.length}" failures="${failures}" errors="${report.errors.length}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(suiteName)}" tests="${ids.length + report.errors.length}" failures="${failures}" errors="${report.errors.length}" skipped="0" time="${seconds}" timestamp="${escapeXml(report.startedAt)}">`,
    `    <properties><property name="target" value="${escapeXml(truncate(report.target, 500))}"/><property name="score" value="${report.score}"/><property name="grade" value="${report.grade}"/></properties>`,
  );
  for (const id of ids) {
    const rule = report.rules.find((r) => r.id === id);
    const findings = report.findings.filter((f) => f.ruleId === id);
    const name = escapeXml(`${id}${rule ? `: ${rule.title}` : ''}`);
    if (findings.length === 0) {
      out.push(`    <testcase classname="${escapeXml(report.engine)}" name="${name}"/>`);
      continue;
    }
    out.push(`    <testcase classname="${escapeXml(report.engine)}" name="${name}">`);
    for (const f of findings) {
      const body = [f.message, `at ${formatLocation(f.location)}`, f.evidence ? `evidence:\n${truncate(f.evidence)}` : ''].filter(Boolean).join('\n');
      out.push(
        `      <failure type="${f.severity}" message="${escapeXml(truncate(`${f.severity}: ${f.message}`, 500))}">${escapeXml(body)}</failure>`,
      );
    }
    out.push('    </testcase>');
  }
  for (const e of report.errors) {
    out.push(`    <testcase classname="${escapeXml(report.engine)}" name="${escapeXml(e.ruleId ?? 'portcullis')}"><error message="${escapeXml(truncate(e.message, 500))}"/></testcase>`);
  }
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}
