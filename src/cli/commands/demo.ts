import type { Command } from 'commander';
import { addReportOptions, emitReport, loadCommandConfig, type ReportCliOptions } from '../report-options.js';

/**
 * One command that shows a newcomer the product: a deliberately vulnerable Basic-auth API on
 * 127.0.0.1, scanned by the scan engine, the report printed, the server stopped whatever happens.
 */
export function registerDemo(program: Command): void {
  addReportOptions(
    program
      .command('demo')
      .description('start a built-in deliberately vulnerable API on 127.0.0.1, scan it, print the report, stop it'),
  ).action(async (options: ReportCliOptions) => {
    const config = await loadCommandConfig(options);
    const [{ startVulnerableApi }, { runScan }] = await Promise.all([import('../../demo/vulnerable-api.js'), import('../../engines/scan/engine.js')]);
    const api = await startVulnerableApi();
    try {
      if (!options.quiet) process.stderr.write(`portcullis demo: vulnerable API started on ${api.url}, scanning...\n`);
      const report = await runScan({ target: api.url, tier: 'standard', knownUser: 'alice' });
      process.exitCode = await emitReport(report, options, config);
    } finally {
      await api.close();
    }
  });
}
