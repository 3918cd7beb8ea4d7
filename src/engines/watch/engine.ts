import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFinding, type Finding } from '../../core/finding.js';
import { Redactor } from '../../core/redact.js';
import { buildReport, type Report } from '../../core/report.js';
import type { Alert } from './alerts.js';
import type { WatchConfig } from './config.js';
import type { GeoLookup } from './geo.js';
import { Ingest, type Source } from './ingest.js';
import { readFileInLane, readStreamInLane } from './lane/read.js';
import type { ConcreteFormat } from './parsers/index.js';
import { WATCH_RULES } from './rules/index.js';
import { fanOut, type AlertSink } from './sinks/index.js';
import { followFile, type FollowCounters, type FollowStart } from './sources/follow.js';
import { expandGlob, isGlob, resolveInputs } from './sources/inputs.js';
import { fileReader, mergeInputs, streamReader } from './sources/merge.js';
import { buffers, readFileSource, readStream } from './sources/read.js';
import { formatDuration } from './time.js';

export interface WatchOptions {
  /** Files, globs, or '-' for stdin. */
  inputs: string[];
  config: WatchConfig;
  follow?: boolean;
  /** Overrides the config's format for every input. */
  format?: WatchConfig['format'];
  sinks?: AlertSink[];
  geo?: GeoLookup;
  stdin?: Readable;
  /** Ends a --follow run. */
  signal?: AbortSignal;
  /** How often --follow polls files and re-expands globs. */
  pollMs?: number;
  redactor?: Redactor;
  /**
   * A single file at least `fromBytes` large is parsed on a second thread. By default: 8 MiB, and only when
   * there is a second core; given, it holds whatever the cores (tests, benchmarks).
   */
  threaded?: { fromBytes: number; chunkBytes?: number };
}

const THREADED_FROM_BYTES = 8 << 20;

export interface WatchResult {
  report: Report;
  /** The forensic summary as terminal text. */
  summary: string;
}

const SUBJECT_FIELD = { ip: 'client_ip=', user: 'username=', all: 'all accounts' } as const;

/** Reads every input (once, or following until the signal aborts) and returns the report of its alerts. */
export async function runWatch(options: WatchOptions): Promise<WatchResult> {
  const startedAt = new Date();
  const redactor = options.redactor ?? new Redactor();
  const sinks = options.sinks ?? [];
  const ingest = new Ingest(options.config, redactor, fanOut(sinks), options.geo, options.follow ?? false);
  const chosen = options.format ?? options.config.format;
  const format: ConcreteFormat | undefined = chosen === 'auto' ? undefined : chosen;
  const files = await resolveInputs(options.inputs, options.follow ?? false);
  const sources = new Map<string, ReturnType<Ingest['source']>>();
  const follow: FollowCounters = { rotations: 0, truncations: 0 };
  const open = (name: string) => {
    const source = ingest.source(name === '-' ? '<stdin>' : name, format);
    sources.set(name, source);
    return source;
  };

  const stdin = options.stdin ?? process.stdin;
  /** Threads that read and detected: 2 when a file was parsed on its own thread. */
  let threads = 1;
  if (options.follow) {
    const signal = options.signal ?? new AbortController().signal;
    // The run ends on the signal, or when standard input, followed alone, ends (as `tail -f` stops on a pipe).
    const until = new AbortController();
    signal.addEventListener('abort', () => until.abort(), { once: true });
    if (signal.aborted) until.abort();
    // What the files hold already is read first, merged in event time; then each is followed from there.
    const backlog = new Map<string, FollowStart>();
    const existing: string[] = [];
    for (const file of files) {
      const info = file === '-' ? undefined : await stat(file).catch(() => undefined);
      if (info?.isFile()) {
        backlog.set(file, { inode: info.ino, position: info.size });
        existing.push(file);
      }
    }
    if (existing.length > 1) {
      await mergeInputs(existing.map((file) => () => fileReader(file, open(file), backlog.get(file)!.position)), ingest, { partial: true });
    } else backlog.clear();
    const running: Promise<void>[] = [];
    const followed = new Set<string>();
    const start = (file: string) => {
      if (followed.has(file)) return;
      followed.add(file);
      const source = sources.get(file) ?? open(file);
      running.push(
        file === '-'
          ? readStream(stdin, source, true).finally(() => files.length === 1 && until.abort())
          : followFile(file, source, signal, follow, options.pollMs, backlog.get(file)),
      );
    };
    files.forEach(start);
    // New files that come to match a glob are followed too; closed alerts are swept on the event clock.
    const globs = options.inputs.filter((i) => i !== '-' && isGlob(i));
    while (!until.signal.aborted) {
      await sleep(Math.max(options.pollMs ?? 250, 250) * 4, undefined, { signal: until.signal }).catch(() => undefined);
      for (const glob of globs) for (const file of await expandGlob(glob)) start(file);
      ingest.alerts.sweep(ingest.watermark);
    }
    await Promise.all(running);
  } else if (files.length === 1) {
    const [file] = files as [string];
    if (file === '-') threads = await readStandardInput(stdin, open(file), ingest, format, options.threaded);
    else if (await threaded(file, options.threaded)) {
      threads = 2;
      await readFileInLane(file, open(file), ingest, format, options.threaded?.chunkBytes);
    }
    else await readFileSource(file, open(file));
  } else {
    await mergeInputs(files.map((file) => async () => (file === '-' ? streamReader(stdin, open(file)) : fileReader(file, open(file)))), ingest);
  }

  const alerts = ingest.alerts.all();
  const findings = alerts.map((alert) => toFinding(alert, redactor));
  const c = ingest.counters;
  const tracked = ingest.tracked();
  const warnings: string[] = [];
  const skipped = c.malformed + c.oversized;
  if (skipped > 0) {
    warnings.push(`${skipped} lines skipped (${c.malformed} unreadable, of which ${c.binary} binary; ${c.oversized} over ${options.config.maxLineBytes} bytes), e.g. ${ingest.samples.join(' | ')}`);
  }
  if (c.late > 0) warnings.push(`${c.late} events arrived more than ${formatDuration(options.config.lateness)} behind the newest event time and were left out of detection`);
  if (c.untimed > 0 && !options.follow) {
    warnings.push(`${c.untimed} events had no time in the log and took the time of the last timed line before them, else of the run: windows around them are approximate`);
  }
  if (ingest.alerts.closedEarly > 0) warnings.push(`${ingest.alerts.closedEarly} open alerts were closed early at the cap of ${options.config.maxAlerts} open alerts per rule`);
  if (ingest.alerts.dropped > 0) warnings.push(`${ingest.alerts.dropped} alerts over the cap of ${options.config.maxAlerts} were streamed but left out of the report`);
  const evicted = tracked.byRule.filter((r) => r.evictions > 0);
  if (evicted.length > 0) {
    const each = evicted.map((r) => `${r.ruleId.replace(/^watch\./, '')} ${r.evictions}`).join(', ');
    warnings.push(`${tracked.evictions} key evictions at the cap of ${options.config.maxKeys} client IPs and ${options.config.maxKeys} usernames tracked (${each}); an evicted key's counts start again`);
  }
  for (const [name, source] of sources) if (!source.format && source.lineNo > 0) warnings.push(`${name}: no known log format recognised`);

  const report = buildReport({
    engine: 'watch',
    target: options.inputs.join(' '),
    startedAt,
    findings,
    rules: WATCH_RULES,
    stats: {
      ...c,
      failures: ingest.summary.failures,
      successes: ingest.summary.successes,
      alerts: ingest.alerts.raised,
      alertsDropped: ingest.alerts.dropped,
      alertsClosedEarly: ingest.alerts.closedEarly,
      trackedKeys: tracked.keys,
      evictions: tracked.evictions,
      ...Object.fromEntries(evicted.map((r) => [`evictions.${r.ruleId.replace(/^watch\./, '')}`, r.evictions])),
      threads,
      rotations: follow.rotations,
      truncations: follow.truncations,
      formats: [...sources].map(([, s]) => `${s.name}=${s.format ?? 'unknown'}`).join(', '),
      ...ingest.summary.stats(),
    },
    warnings,
  });
  return { report, summary: ingest.summary.text() };
}

/**
 * Standard input, on two threads once it proves large: its first chunks are held until `fromBytes` have come
 * (then handed over with the rest) or it ends (then read here). Returns the threads used.
 */
async function readStandardInput(stdin: Readable, source: Source, ingest: Ingest, format: ConcreteFormat | undefined, choice: WatchOptions['threaded']): Promise<number> {
  if (!choice && availableParallelism() < 2) {
    await readStream(stdin, source);
    return 1;
  }
  const fromBytes = choice?.fromBytes ?? THREADED_FROM_BYTES;
  const chunks = buffers(stdin);
  const head: Buffer[] = [];
  for (let size = 0; size < fromBytes; ) {
    const next = await chunks.next();
    if (next.done) {
      for (const chunk of head) source.push(chunk);
      source.end();
      return 1;
    }
    head.push(next.value);
    size += next.value.length;
  }
  await readStreamInLane(
    (async function* () {
      yield* head;
      yield* chunks;
    })(),
    source,
    ingest,
    format,
  );
  return 2;
}

/** Whether to parse `file` on a second thread: a regular file large enough to repay starting one. */
async function threaded(file: string, choice: WatchOptions['threaded']): Promise<boolean> {
  if (!choice && availableParallelism() < 2) return false;
  const info = await stat(file).catch(() => undefined);
  return info !== undefined && info.isFile() && info.size >= (choice?.fromBytes ?? THREADED_FROM_BYTES);
}

function toFinding(alert: Alert, redactor: Redactor): Finding {
  const rule = WATCH_RULES.find((r) => r.id === alert.ruleId)!;
  const where = alert.subject === 'all' ? SUBJECT_FIELD.all : `${SUBJECT_FIELD[alert.subject]}${alert.key}`;
  return createFinding(rule, {
    message: redactor.redact(alert.message),
    location: { path: redactor.redact(where) },
    evidence: alert.samples.map((s) => `${s.source}:${s.line}  ${s.text}`).join('\n'),
    severity: alert.severity,
    key: `${alert.subject}:${alert.key}`,
    details: redactor.redactDeep({
      alertId: alert.id,
      level: alert.level,
      count: alert.count,
      metric: alert.metric,
      threshold: alert.threshold,
      window: formatDuration(alert.windowMs),
      firstSeen: new Date(alert.firstSeen).toISOString(),
      lastSeen: new Date(alert.lastSeen).toISOString(),
      ...alert.details,
    }),
  });
}
