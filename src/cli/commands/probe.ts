import { Command, InvalidArgumentError, Option } from 'commander';
import { parseAuth } from '../../engines/probe/auth.js';
import { PROBE_DEFAULTS } from '../../engines/probe/defaults.js';
import { addReportOptions, emitReport, loadCommandConfig, type ReportCliOptions } from '../report-options.js';

interface ProbeCliOptions extends ReportCliOptions {
  cmd: string;
  url: string;
  auth?: string;
  authHeader: string;
  logFile?: string;
  cwd?: string;
  requests: number;
  timeCap: number;
  readyTimeout: number;
  burst: number;
  connections: number;
}

function count(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number.');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds.');
  return n * 1000;
}

export function registerProbe(program: Command): void {
  const command = program
    .command('probe')
    .description('start an app, drive auth traffic at it, and check its logs (failures, successes, secrets) and memory growth')
    .requiredOption('--cmd <command>', 'shell command that starts the app, e.g. "uvicorn app:app --port 8000"')
    .requiredOption('--url <url>', 'an endpoint of the started app that requires authentication, e.g. http://127.0.0.1:8000/items')
    .option('--auth <basic:USER:PASS>', 'valid credentials, to check that successful logins are logged (or set PORTCULLIS_PROBE_AUTH)')
    .option('--auth-header <name>', 'header that carries "Basic <token>", for apps that read another header than Authorization', 'Authorization')
    .option('--log-file <path>', 'also follow this log file the app writes (stdout and stderr are always read)')
    .option('--cwd <dir>', 'working directory for the command')
    .option('--requests <n>', 'distinct-credential requests for the memory check (0 skips it)', count, PROBE_DEFAULTS.requests)
    // Parsed to ms, but the help shows the default in the seconds the user types.
    .addOption(new Option('--time-cap <seconds>', 'time cap of the memory check').argParser(seconds).default(PROBE_DEFAULTS.timeCapMs, String(PROBE_DEFAULTS.timeCapMs / 1000)))
    .addOption(
      new Option('--ready-timeout <seconds>', 'how long to wait for --url to answer after start')
        .argParser(seconds)
        .default(PROBE_DEFAULTS.readyTimeoutMs, String(PROBE_DEFAULTS.readyTimeoutMs / 1000)),
    )
    .option('--burst <n>', 'failed logins in the rate-limit burst (0 skips it)', count, PROBE_DEFAULTS.burst)
    .option('--connections <n>', 'keep-alive connections for bulk traffic', count, PROBE_DEFAULTS.connections);
  command.addHelpText(
    'after',
    [
      '',
      'Notes:',
      '  Credentials travel as "<header>: Basic base64(user:password)". Some apps read another header than',
      '  Authorization: FastAPI\'s `auth: str = Header(None)` (as in the seed 004 credential-store example) reads a',
      '  header literally named "auth", so probe it with --auth-header auth. With the wrong header such an app',
      '  never decodes anything, so there is nothing to measure: probe warns when logins are answered exactly',
      '  like a request without credentials, and does not pretend the app is safe.',
      '  --auth is never printed; prefer PORTCULLIS_PROBE_AUTH, since command lines are visible to other local users.',
      '  The app runs in its own process group and is always stopped (SIGTERM, then SIGKILL), also on Ctrl-C.',
      '  Python apps get PYTHONUNBUFFERED=1 so their log lines arrive when they are written.',
    ].join('\n'),
  );
  addReportOptions(command).action(async (options: ProbeCliOptions) => {
    const config = await loadCommandConfig(options);
    const envAuth = process.env['PORTCULLIS_PROBE_AUTH'];
    const auth = options.auth ? parseAuth(options.auth, '--auth') : envAuth ? parseAuth(envAuth, 'PORTCULLIS_PROBE_AUTH') : undefined;
    const { runProbe } = await import('../../engines/probe/engine.js');
    const report = await runProbe({
      cmd: options.cmd,
      url: options.url,
      authHeader: options.authHeader,
      requests: options.requests,
      timeCapMs: options.timeCap,
      readyTimeoutMs: options.readyTimeout,
      burst: options.burst,
      connections: options.connections,
      ...(auth ? { auth } : {}),
      ...(options.logFile ? { logFile: options.logFile } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.quiet ? {} : { onProgress: (line: string) => process.stderr.write(`portcullis: ${line}\n`) }),
    });
    if (!options.quiet) for (const w of report.warnings) process.stderr.write(`portcullis: warning: ${w}\n`);
    process.exitCode = await emitReport(report, options, config);
  });
}
