import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { applyBaseline, loadBaseline } from '../core/baseline.js';
import { applyIgnores, loadConfig, type Config } from '../core/config.js';
import { ToolError, describeError, EXIT } from '../core/errors.js';
import { evaluateGate, type GateOptions } from '../core/gate.js';
import { scoreCategories, type Report } from '../core/report.js';
import { explainScore, scoreFindings } from '../core/score.js';
import { SEVERITIES, isSeverity, type Severity } from '../core/severity.js';
import { FORMATS, isFormat, render, type Format } from '../reporters/index.js';

/** Options every engine command shares: output, gate, baseline, config. */
export interface ReportCliOptions {
  format: Format;
  output?: string;
  report?: { format: Format; file: string }[];
  threshold?: number;
  failOn?: Severity;
  baseline?: string;
  config?: string;
  color?: boolean;
  quiet?: boolean;
}

export function parseThreshold(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 0 || n > 100) throw new InvalidArgumentError('must be a whole number from 0 to 100.');
  return n;
}

function parseSeverity(value: string): Severity {
  if (!isSeverity(value)) throw new InvalidArgumentError(`must be one of ${SEVERITIES.join(', ')}.`);
  return value;
}

function parseExtraReport(value: string, previous: { format: Format; file: string }[] = []): { format: Format; file: string }[] {
  const [format, ...rest] = value.split('=');
  const file = rest.join('=');
  if (!format || !isFormat(format) || !file) {
    throw new InvalidArgumentError(`expected FORMAT=FILE with FORMAT one of ${Object.keys(FORMATS).join(', ')}.`);
  }
  return [...previous, { format, file }];
}

export function addReportOptions(command: Command): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'report format').choices(Object.keys(FORMATS)).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--report <format=file>', 'also write a report in another format (repeatable), e.g. sarif=out.sarif', parseExtraReport)
    .option('--threshold <score>', 'fail (exit 1) when the score is below this (0-100)', parseThreshold)
    .option('--fail-on <severity>', `fail (exit 1) on a finding at least this severe (${SEVERITIES.join('|')})`, parseSeverity)
    .option('--baseline <report.json>', 'a previous JSON report: only new findings count for the gate')
    .option('-c, --config <file>', 'config file (default: .portcullis.yml in the working directory)')
    .option('--no-color', 'no colours in the text report')
    .option('-q, --quiet', 'no progress output');
}

export async function loadCommandConfig(options: Pick<ReportCliOptions, 'config'>): Promise<Config> {
  return loadConfig(options.config);
}

/**
 * Applies ignores and the baseline, writes every requested report, evaluates the gate and
 * returns the exit code. Engines call this with the report they built.
 */
export async function emitReport(report: Report, options: ReportCliOptions, config: Config): Promise<number> {
  const { kept, suppressed } = applyIgnores(report.findings, config);
  let final = suppressed > 0 ? rescore({ ...report, stats: { ...report.stats, suppressed } }, kept) : report;
  if (options.baseline) final = applyBaseline(final, await loadBaseline(options.baseline), options.baseline);

  const color = options.color !== false && !process.env['NO_COLOR'] && Boolean(process.stdout.isTTY) && !options.output;
  const main = render(final, options.format, { color });
  await writeTo(options.output, main);
  for (const extra of options.report ?? []) await writeTo(extra.file, render(final, extra.format, { color: false }));

  const gate: GateOptions = {};
  const threshold = options.threshold ?? config.threshold;
  const failOn = options.failOn ?? config.failOn;
  if (threshold !== undefined) gate.threshold = threshold;
  if (failOn !== undefined) gate.failOn = failOn;
  const result = evaluateGate(final, gate);
  if (options.output && !options.quiet) {
    process.stderr.write(`portcullis: grade ${final.grade} (${final.score}/100), ${final.findings.length} findings, report written to ${options.output}\n`);
  }
  for (const reason of result.reasons) process.stderr.write(`portcullis: gate failed: ${reason}\n`);
  return result.passed ? EXIT.ok : EXIT.gateFailed;
}

function rescore(report: Report, findings: Report['findings']): Report {
  const result = scoreFindings(findings);
  return {
    ...report,
    findings,
    score: result.score,
    grade: result.grade,
    scoreExplanation: explainScore(result),
    categories: scoreCategories(findings, report.rules),
  };
}

async function writeTo(file: string | undefined, text: string): Promise<void> {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFile(file, text);
  } catch (error) {
    throw new ToolError(`cannot write ${file}: ${describeError(error)}`);
  }
}
