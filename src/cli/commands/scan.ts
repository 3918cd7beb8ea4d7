import { Command, InvalidArgumentError, Option } from 'commander';
import { createWriteStream } from 'node:fs';
import { ToolError, describeError } from '../../core/errors.js';
import { AUTH_ENV, KNOWN_USER_ENV, parseAuth } from '../../engines/scan/auth.js';
import { parseScanConfig } from '../../engines/scan/config.js';
import type { RecordedExchange, ScanProgress } from '../../engines/scan/engine.js';
import { TIERS, type Tier } from '../../engines/scan/tiers.js';
import { addReportOptions, emitReport, loadCommandConfig, type ReportCliOptions } from '../report-options.js';

interface ScanCliOptions extends ReportCliOptions {
  spec?: string;
  auth?: string;
  knownUser?: string;
  tier: Tier;
  maxRequests?: number;
  concurrency?: number;
  timeout?: number;
  maxDuration?: number;
  insecure?: boolean;
  exchanges?: string;
}

function positiveInt(label: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) throw new InvalidArgumentError(`${label} must be a positive whole number.`);
    return Number(value);
  };
}

/** A one-line status on a terminal's stderr; nothing when piped or --quiet. */
function progressLine(enabled: boolean): { update: (p: ScanProgress) => void; end: () => void } {
  if (!enabled) return { update: () => undefined, end: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update: (p) => {
      const now = Date.now();
      if (p.phase !== 'done' && now - last < 100) return;
      last = now;
      shown = true;
      const width = 20;
      const filled = Math.min(width, Math.round((p.sent / Math.max(1, p.maxRequests)) * width));
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
      process.stderr.write(`\r\x1b[2Kscan ${bar} ${p.sent}/${p.maxRequests} requests  ${p.phase}${p.rule ? ` ${p.rule}` : ''}`);
    },
    end: () => {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}

/** A JSON-lines file of exchanges; a write error becomes a one-line ToolError at close. */
function openEvidenceLog(file: string): { write: (exchange: RecordedExchange) => void; close: () => Promise<void> } {
  const stream = createWriteStream(file);
  let failure: Error | undefined;
  stream.on('error', (error) => (failure ??= error));
  return {
    write: (exchange) => {
      if (!failure) stream.write(`${JSON.stringify(exchange)}\n`);
    },
    close: () =>
      new Promise((resolve, reject) => {
        stream.end(() => (failure ? reject(new ToolError(`cannot write ${file}: ${describeError(failure)}`)) : resolve()));
        if (failure) reject(new ToolError(`cannot write ${file}: ${describeError(failure)}`));
      }),
  };
}

export function registerScan(program: Command): void {
  const command = program
    .command('scan')
    .description('scan a live API from the outside (read-only: GET, HEAD and OPTIONS only)')
    .argument('<base-url>', 'the API base URL, http:// or https://')
    .option('--spec <url|file>', 'OpenAPI 3.x / Swagger 2.0 description (default: look in well-known places)')
    .option('--auth <credential>', `basic:USER:PASS | bearer:TOKEN | header:NAME:VALUE | cookie:NAME=VALUE (or env ${AUTH_ENV})`)
    .option('--known-user <name>', `a username that exists, for the enumeration checks (or env ${KNOWN_USER_ENV})`)
    .addOption(new Option('--tier <tier>', 'depth versus request count').choices([...TIERS]).default('standard'))
    .option('--max-requests <n>', 'request budget of the whole run (default: by tier, 150/600/2000)', positiveInt('--max-requests'))
    .option('--concurrency <n>', 'requests in flight per host (default 4)', positiveInt('--concurrency'))
    .option('--timeout <ms>', 'per-request timeout in milliseconds (default 10000)', positiveInt('--timeout'))
    .option('--max-duration <s>', 'total time cap in seconds (default 300)', positiveInt('--max-duration'))
    .option('--insecure', 'go on when the TLS certificate does not verify (the finding stays)')
    .option('--exchanges <file.jsonl>', 'keep every request and response as evidence, one JSON line each, credentials redacted');
  addReportOptions(command).action(async (baseUrl: string, options: ScanCliOptions, self: Command) => {
    // The tier has a default, so only a tier given on the command line overrides the config file.
    const tierFromCli = self.getOptionValueSource('tier') === 'cli';
    const config = await loadCommandConfig(options);
    const defaults = parseScanConfig(config.scan);
    const authText = options.auth ?? process.env[AUTH_ENV];
    const auth = authText ? parseAuth(authText) : undefined;
    const knownUser = options.knownUser ?? process.env[KNOWN_USER_ENV] ?? defaults.knownUser;
    const spec = options.spec ?? defaults.spec;
    const maxRequests = options.maxRequests ?? defaults.maxRequests;
    const concurrency = options.concurrency ?? defaults.concurrency;
    const timeout = options.timeout ?? defaults.timeoutMs;
    const maxDuration = options.maxDuration ?? defaults.maxDurationSeconds;
    const progress = progressLine(!options.quiet && Boolean(process.stderr.isTTY));
    const evidence = options.exchanges ? openEvidenceLog(options.exchanges) : undefined;
    const { runScan } = await import('../../engines/scan/engine.js');
    let report;
    try {
      report = await runScan(
        {
          target: baseUrl,
          tier: tierFromCli ? options.tier : ((defaults.tier as Tier | undefined) ?? options.tier),
          ...(spec ? { spec } : {}),
          ...(auth ? { auth } : {}),
          ...(knownUser ? { knownUser } : {}),
          ...(maxRequests ? { maxRequests } : {}),
          ...(concurrency ? { concurrency } : {}),
          ...(timeout ? { timeoutMs: timeout } : {}),
          ...(maxDuration ? { maxDurationMs: maxDuration * 1000 } : {}),
          insecure: options.insecure === true || defaults.insecure === true,
        },
        { onProgress: progress.update, ...(evidence ? { onExchange: evidence.write } : {}) },
      );
    } finally {
      progress.end();
      await evidence?.close();
    }
    if (!report) throw new ToolError('scan produced no report');
    if (!options.quiet) for (const warning of report.warnings) process.stderr.write(`portcullis: warning: ${warning}\n`);
    process.exitCode = await emitReport(report, options, config);
  });
}
