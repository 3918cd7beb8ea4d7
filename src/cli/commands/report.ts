import type { Command } from 'commander';
import { loadReport } from '../../core/baseline.js';
import { addReportOptions, emitReport, loadCommandConfig, type ReportCliOptions } from '../report-options.js';

/** Re-renders and re-gates a saved JSON report: scan once in CI, then write SARIF, Markdown, JUnit. */
export function registerReport(program: Command): void {
  addReportOptions(
    program
      .command('report')
      .description('render a saved JSON report in another format, apply a gate or compare it with a baseline')
      .argument('<report.json>', 'a report written with --format json'),
  ).action(async (file: string, options: ReportCliOptions) => {
    const config = await loadCommandConfig(options);
    const report = await loadReport(file);
    process.exitCode = await emitReport(report, options, config);
  });
}
