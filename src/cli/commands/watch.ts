import { Command, InvalidArgumentError, Option } from 'commander';
import { ToolError } from '../../core/errors.js';
import { FORMAT_NAMES, resolveWatchConfig, type FormatName } from '../../engines/watch/config.js';
import { runWatch } from '../../engines/watch/engine.js';
import { fileSink, streamSink, type AlertSink } from '../../engines/watch/sinks/index.js';
import { webhookSink } from '../../engines/watch/sinks/webhook.js';
import { addReportOptions, emitReport, loadCommandConfig, type ReportCliOptions } from '../report-options.js';

interface WatchCliOptions extends ReportCliOptions {
  follow?: boolean;
  logFormat?: FormatName;
  geoip?: string;
  alerts?: 'text' | 'json' | 'none';
  alertsFile?: string;
  webhook?: string[];
  maxKeys?: number;
}

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1) throw new InvalidArgumentError('must be a whole number above 0.');
  return n;
}

function httpUrl(value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || !/^https?:$/.test(url.protocol)) throw new ToolError('webhook: not an http(s) URL');
  return url;
}

export function registerWatch(program: Command): void {
  const command = program
    .command('watch')
    .description('read auth logs (files, globs, or - for stdin) and raise alerts: brute force, spraying, stuffing, impossible travel')
    .argument('<inputs...>', 'log files, globs (quote them) or - for standard input')
    .option('--follow', 'keep reading as the logs grow (survives rotation and truncation); stop with Ctrl-C')
    .addOption(new Option('--log-format <format>', 'log format of every input (default: detected per input)').choices([...FORMAT_NAMES]))
    .option('--geoip <file.mmdb>', 'MaxMind-format database (GeoLite2/GeoIP2 City or Country) for impossible travel')
    .addOption(new Option('--alerts <format>', 'stream alerts to standard output as they fire (default: text with --follow, none without)').choices(['text', 'json', 'none']))
    .option('--alerts-file <file>', 'append alerts as JSON lines to this file')
    .option('--webhook <url>', 'POST each alert, signed (secret in PORTCULLIS_WEBHOOK_SECRET); repeatable', (v: string, prev: string[] = []) => [...prev, v])
    .option('--max-keys <n>', 'distinct client IPs, and usernames, detection tracks before evicting the least recent', positive);
  addReportOptions(command).action(async (inputs: string[], options: WatchCliOptions) => {
    const config = await loadCommandConfig(options);
    // The flag goes through the config's checks too (its upper bound among them).
    const watch = resolveWatchConfig(options.maxKeys ? { ...(config.watch as object | undefined), maxKeys: options.maxKeys } : config.watch);
    const hooks = [...watch.webhooks, ...(options.webhook ?? []).map((url) => ({ url, secretEnv: 'PORTCULLIS_WEBHOOK_SECRET' }))];
    if (inputs.filter((i) => i === '-').length > 0 && options.follow && inputs.length > 1) {
      throw new ToolError('--follow with standard input takes no other input');
    }

    const sinks: AlertSink[] = [];
    const streamFormat = options.alerts ?? (options.follow ? 'text' : 'none');
    if (streamFormat !== 'none') sinks.push(streamSink(process.stdout, streamFormat));
    if (options.alertsFile) sinks.push(fileSink(options.alertsFile));
    const webhooks = hooks.map((hook) => {
      // Only the origin is ever shown: webhook URLs often carry a token in their path.
      const url = httpUrl(hook.url);
      const secret = process.env[hook.secretEnv];
      if (!secret) throw new ToolError(`webhook ${url.origin}: set the signing secret in the environment variable ${hook.secretEnv}`);
      return webhookSink({ url: hook.url, secret, retries: watch.webhookRetries, backoffMs: watch.webhookBackoff, queue: watch.webhookQueue });
    });
    sinks.push(...webhooks);

    const stop = new AbortController();
    const onSignal = () => stop.abort();
    if (options.follow) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      if (!options.quiet) process.stderr.write(`portcullis: watching ${inputs.join(' ')} (Ctrl-C to stop)\n`);
    }
    try {
      const { report, summary } = await runWatch({
        inputs,
        config: watch,
        follow: options.follow ?? false,
        sinks,
        signal: stop.signal,
        ...(options.logFormat ? { format: options.logFormat } : {}),
        ...(options.geoip ? { geo: await (await import('../../engines/watch/geo.js')).GeoLookup.open(options.geoip) } : {}),
      });
      await Promise.all(sinks.map((s) => s.close()));
      for (const hook of webhooks) {
        const c = hook.counters;
        report.stats['webhook.delivered'] = Number(report.stats['webhook.delivered'] ?? 0) + c.delivered;
        report.stats['webhook.failed'] = Number(report.stats['webhook.failed'] ?? 0) + c.failed + c.dropped;
        if (c.failed + c.dropped > 0) report.warnings.push(`webhook: ${c.failed + c.dropped} alerts could not be delivered`);
      }
      if (!options.quiet) {
        if (!options.follow) process.stderr.write(summary);
        for (const w of report.warnings) process.stderr.write(`portcullis: warning: ${w}\n`);
      }
      process.exitCode = await emitReport(report, options, config);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
}
