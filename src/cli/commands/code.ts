import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { loadBaseline } from '../../core/baseline.js';
import { EXIT, ToolError, describeError } from '../../core/errors.js';
import type { Report } from '../../core/report.js';
import { analyseProject, DEFAULT_MAX_FILE_BYTES } from '../../engines/code/engine.js';
import { renderInventory } from '../../engines/code/inventory.js';
import { addReportOptions, emitReport, loadCommandConfig, type ReportCliOptions } from '../report-options.js';

interface CodeCliOptions extends ReportCliOptions {
  inventory?: boolean;
  root?: string;
  maxFileSize: number;
  workers?: number;
  prefilter: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n <= 0) throw new InvalidArgumentError('must be a positive whole number.');
  return n;
}

export function registerCode(program: Command): void {
  const command = program
    .command('code')
    .description('analyse Python web apps (FastAPI, Starlette, Flask) for Basic-auth logging, secret and memory defects')
    .argument('[paths...]', 'files or directories to analyse', ['.'])
    .option('--inventory', 'list every route with its auth scheme, auth function, logging and rate limiting (JSON with --format json)')
    .option('--root <dir>', 'report file paths relative to this directory')
    .option('--max-file-size <bytes>', 'skip files larger than this', positiveInt, DEFAULT_MAX_FILE_BYTES)
    .option('--workers <n>', 'parser threads (default: 2 for large trees)', positiveInt)
    .option('--no-prefilter', 'parse every file and analyse every function body (slower, same findings; by default a file whose text no rule can match is only read)')
    .addHelpText(
      'after',
      '\nWith --baseline, any new finding fails (exit 1) unless --fail-on or --threshold set another bar, and so does\n' +
        'a route that is new to a Basic-auth defect (a new endpoint behind an auth function that does not log failures).\n' +
        'Suppress one line with a comment on it or above it: # portcullis: ignore[py.basic-auth.no-rate-limit] reason',
    );
  addReportOptions(command).action(async (paths: string[], options: CodeCliOptions) => {
    const config = await loadCommandConfig(options);
    const { report, inventory } = await analyseProject({
      paths,
      maxFileBytes: options.maxFileSize,
      ...(options.root ? { root: options.root } : {}),
      ...(options.workers ? { workers: options.workers } : {}),
      analyseEverything: !options.prefilter,
    });
    if (!options.quiet) for (const w of report.warnings) process.stderr.write(`portcullis: warning: ${w}\n`);
    if (options.inventory) {
      const text = options.format === 'json' ? `${JSON.stringify({ target: report.target, routes: inventory }, null, 2)}\n` : renderInventory(inventory);
      await write(options.output, text);
      process.exitCode = EXIT.ok;
      return;
    }
    // With a baseline, any new finding gates unless the user chose a threshold or severity floor.
    const gated = options.baseline && options.failOn === undefined && options.threshold === undefined && config.failOn === undefined && config.threshold === undefined
      ? { ...options, failOn: 'low' as const }
      : options;
    let code = await emitReport(report, gated, config);
    if (options.baseline) {
      const reasons = newRouteProblems(report, await loadBaseline(options.baseline));
      for (const reason of reasons) process.stderr.write(`portcullis: gate failed: ${reason}\n`);
      if (reasons.length > 0) code = EXIT.gateFailed;
    }
    process.exitCode = code;
  });
}

/** Routes protected by a defective Basic-auth function that the baseline did not list for that defect. */
export function newRouteProblems(report: Report, baseline: Report): string[] {
  const known = new Set(baseline.findings.flatMap((f) => routesOf(f.details).map((r) => `${f.ruleId} ${r}`)));
  const reasons: string[] = [];
  for (const f of report.findings) {
    for (const route of routesOf(f.details)) {
      if (known.has(`${f.ruleId} ${route}`)) continue;
      known.add(`${f.ruleId} ${route}`);
      reasons.push(`new route ${route} uses Basic auth through ${String(f.details?.['authFunction'] ?? f.details?.['function'] ?? '?')}(): ${f.title.toLowerCase()} (${f.ruleId} at ${f.location.file}:${f.location.line})`);
    }
  }
  return reasons;
}

function routesOf(details: Record<string, unknown> | undefined): string[] {
  const routes = details?.['routes'];
  return Array.isArray(routes) ? routes.filter((r): r is string => typeof r === 'string') : [];
}

async function write(file: string | undefined, text: string): Promise<void> {
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
