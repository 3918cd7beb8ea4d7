import { randomBytes } from 'node:crypto';
import { ToolError, describeError } from '../../core/errors.js';
import type { Finding } from '../../core/finding.js';
import { Redactor } from '../../core/redact.js';
import { buildReport, type Report, type ToolErrorEntry } from '../../core/report.js';
import type { Attempt, MalformedExchange, ProbeContext, ProbeObservations, ProbeRule } from './context.js';
import { DEFAULT_THRESHOLDS, formatBytes, judgeGrowth, type GrowthThresholds } from './growth.js';
import { launch, type LaunchedApp } from './launcher.js';
import { canSampleRss } from './proctree.js';
import { RssSampler, rssSeries } from './rss.js';
import { mentionsUser } from './search.js';
import { PROBE_RULES } from './rules/index.js';
import { Traffic, type Exchange } from './traffic.js';
import { PROBE_DEFAULTS } from './defaults.js';

export interface ProbeOptions {
  /** Shell command that starts the app (run with /bin/sh -c, in its own process group). */
  cmd: string;
  /** The endpoint that requires authentication, e.g. http://127.0.0.1:8000/items. */
  url: string;
  cwd?: string;
  env?: Record<string, string>;
  /** Valid credentials, for the success phase. Never printed. */
  auth?: { user: string; password: string };
  /** Header that carries `Basic <token>`; Authorization unless the app reads another one. */
  authHeader?: string;
  logFile?: string;
  /** Distinct-credential requests of the memory phase (0 skips it). */
  requests?: number;
  /** Time cap of the memory phase, ms. */
  timeCapMs?: number;
  readyTimeoutMs?: number;
  connections?: number;
  burst?: number;
  canaries?: number;
  /** How long after a response a log line still counts as "at the time". */
  settleMs?: number;
  thresholds?: Partial<GrowthThresholds>;
  rules?: readonly ProbeRule[];
  signal?: AbortSignal;
  /** Progress lines (never secrets). */
  onProgress?: (line: string) => void;
}


/** Malformed Authorization values: each a way real decoders crash. */
export function malformedCases(authHeader: string, user: string): { label: string; headers: Record<string, string> }[] {
  const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64');
  const cases: [string, string][] = [
    ['scheme without a token', 'Basic'],
    ['token that is not base64', 'Basic %%%not-base64%%%'],
    ['decoded token without a colon', `Basic ${b64(`${user}-no-colon`)}`],
    ['decoded token that is not UTF-8', `Basic ${b64(Buffer.from([0xff, 0xfe, 0xfd, 0x3a, 0x41]))}`],
    ['truncated base64 padding', `Basic ${b64(`${user}:x`).replace(/=+$/, '').slice(0, -1)}`],
    ['unknown scheme', `Digest ${b64(`${user}:x`)}`],
    ['two spaces before the token', `Basic  ${b64(`${user}:x`)}`],
    ['oversized token (16 KiB)', `Basic ${'QUFB'.repeat(4096)}`],
  ];
  return cases.map(([label, value]) => ({ label, headers: { [authHeader]: value } }));
}

// More connections than this only queue inside the app's server; it is a bound on what probe opens.
const MAX_CONNECTIONS = 256;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the app, drives auth traffic at it in phases (canary failures, successes, malformed
 * credentials, a failed-login burst, memory growth), reads its logs and RSS, stops it, and
 * returns the report. The app is always stopped, whatever happens.
 */
export async function runProbe(options: ProbeOptions): Promise<Report> {
  const startedAt = new Date();
  const url = checkUrl(options.url);
  const authHeader = options.authHeader ?? 'Authorization';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(authHeader)) throw new ToolError(`--auth-header "${authHeader}" is not a valid header name`);
  const redactor = new Redactor();
  if (options.auth) redactor.addBasic(options.auth.user, options.auth.password);
  const settings = { ...PROBE_DEFAULTS, ...definedOnly(options) };
  if (settings.connections < 1 || settings.connections > MAX_CONNECTIONS) throw new ToolError(`--connections must be between 1 and ${MAX_CONNECTIONS}`);
  const rules = options.rules ?? PROBE_RULES;
  const progress = options.onProgress ?? (() => undefined);
  const runId = randomBytes(4).toString('hex');

  const obs: ProbeObservations = {
    path: url.pathname,
    method: 'GET',
    authHeader,
    clientIp: url.hostname === '[::1]' ? '::1' : '127.0.0.1',
    settleMs: settings.settleMs,
    logs: [],
    failures: [],
    successes: [],
    malformed: [],
  };
  const warnings: string[] = [];
  const stats: Record<string, number | string | boolean> = {};

  progress(`starting: ${redactor.redact(options.cmd)}`);
  const launchOptions = { cmd: options.cmd, url: url.href, readyTimeoutMs: settings.readyTimeoutMs, redactor };
  const app = await launch({
    ...launchOptions,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.logFile ? { logFile: options.logFile } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  stats['startupMs'] = Date.now() - startedAt.getTime();
  const traffic = new Traffic(url, settings.connections);
  const header = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const attempt = async (user: string, password: string, core: string): Promise<Attempt> => {
    const requestId = `portcullis-${runId}-${randomBytes(4).toString('hex')}`;
    const token = Buffer.from(`${user}:${password}`).toString('base64');
    const exchange = await traffic.send({ [authHeader]: header(user, password), 'x-request-id': requestId });
    return { ...exchange, user, password, core, token, requestId };
  };
  /** True when the app is gone: the phase that saw it go is recorded, and later phases are skipped. */
  const died = async (phase: string): Promise<boolean> => {
    if (obs.appExit) return true;
    if (app.exit === undefined) await Promise.race([app.exited, sleep(100)]);
    if (app.exit === undefined) return false;
    app.logs.flush();
    obs.appExit = { phase, exit: app.exit, tail: app.logs.tail(20) };
    warnings.push(`the app exited during the ${phase} phase (${app.exit.signal ?? `code ${app.exit.code}`}); later phases were skipped`);
    return true;
  };

  try {
    // 1. Failed logins with canary users and passwords, one at a time so each has its own moment.
    progress('phase: canary failed logins');
    for (let i = 0; i < settings.canaries; i++) {
      const core = randomBytes(8).toString('hex');
      obs.failures.push(await attempt(`canary-${randomBytes(5).toString('hex')}`, `Pc!${core}#`, core));
    }
    // 2. Successful logins with the user's credentials.
    if (options.auth && !(await died('failed-login'))) {
      progress('phase: successful logins');
      for (let i = 0; i < settings.canaries; i++) obs.successes.push(await attempt(options.auth.user, options.auth.password, options.auth.password));
      const accepted = obs.successes.filter((a) => a.status !== undefined && a.status < 300).length;
      if (accepted === 0) warnings.push(`the credentials given with --auth were not accepted (HTTP ${obs.successes[0]?.status ?? 'no answer'}); the success phase found nothing to check`);
    }
    const anonymous = await traffic.send({});
    await sleep(settings.settleMs);
    warnAboutStatuses(obs.failures, warnings);
    // The app evidently reads the header when it let the user in, or logged a canary's name.
    await app.pollFile();
    const readsHeader =
      obs.successes.some((a) => a.status !== undefined && a.status < 300) || obs.failures.some((a) => app.logs.lines.some((l) => mentionsUser(l.text, a.user)));
    if (!readsHeader) warnIfIgnored(obs.failures, anonymous, authHeader, warnings);

    // 3. Malformed credentials.
    if (!(await died('login'))) {
      progress('phase: malformed credentials');
      const from = Date.now();
      for (const c of malformedCases(authHeader, `canary-${runId}`)) {
        const exchange = await traffic.send(c.headers);
        obs.malformed.push({ ...exchange, label: c.label, header: Object.values(c.headers)[0]!.slice(0, 80) } satisfies MalformedExchange);
        if (app.exit !== undefined) break;
      }
      await sleep(settings.settleMs);
      obs.malformedWindow = { from, to: Date.now() };
      await died('malformed');
    }
    await app.pollFile();
    app.logs.flush();
    obs.logs = [...app.logs.lines];
    // The burst and the memory phase write thousands of lines: count them, do not keep them.
    app.logs.recording = false;

    // 4. A burst of failed logins for one user from one client.
    if (!obs.appExit && settings.burst > 0) {
      progress(`phase: burst of ${settings.burst} failed logins`);
      const user = `canary-${randomBytes(5).toString('hex')}`;
      const result = await traffic.bulk(settings.burst, (i) => ({ [authHeader]: header(user, `wrong-${i}-${runId}`) }), {
        deadline: Date.now() + 30_000,
        shouldStop: () => (app.exit !== undefined ? 'app-exit' : undefined),
      });
      obs.burst = { user, sent: result.sent, statuses: result.statuses, errors: result.errors };
      await died('burst');
    }

    // 5. Memory growth: warm-up with one credential, distinct credentials, then one credential again.
    if (!obs.appExit && settings.requests > 0 && !canSampleRss()) {
      warnings.push('memory growth not measured: reading RSS needs Linux /proc');
    } else if (!obs.appExit && settings.requests > 0) {
      options.signal?.throwIfAborted();
      progress(`phase: memory growth, up to ${settings.requests} requests with distinct credentials (cap ${Math.round(settings.timeCapMs / 1000)}s)`);
      await memoryPhase(app, traffic, obs, settings, { ...DEFAULT_THRESHOLDS, ...options.thresholds }, header, runId);
      if (!(await died('memory'))) {
        const result = obs.memory!.result;
        if (result.verdict === 'inconclusive') warnings.push(`memory growth inconclusive: ${result.reason}`);
      }
    }
  } finally {
    await traffic.close();
    // Keep what a block-buffered app only writes when it exits (bounded by the capture's cap).
    app.logs.recording = true;
    progress('stopping the app');
    await app.stop();
  }
  stats['logLines'] = app.logs.total;
  if (app.logFileSeen === false) warnings.push(`--log-file ${options.logFile} never existed while the app ran: nothing was read from it (a relative path is taken from where portcullis runs, not from --cwd)`);
  const finalLines = app.logs.lines.slice(obs.logs.length);
  // Lines flushed only at exit still count for secrets (not for timing).
  obs.logs = [...obs.logs, ...finalLines];

  const context: ProbeContext = { obs, redactor };
  const findings: Finding[] = [];
  const errors: ToolErrorEntry[] = [];
  for (const rule of rules) {
    try {
      findings.push(...(await rule.check(context)));
    } catch (error) {
      errors.push({ ruleId: rule.id, message: describeError(error) });
    }
  }
  Object.assign(stats, summaryStats(obs));
  return buildReport({
    engine: 'probe',
    target: redactor.redact(url.href),
    startedAt,
    findings,
    rules,
    stats,
    errors,
    warnings: warnings.map((w) => redactor.redact(w)),
    ...(obs.memory ? { series: rssSeries(obs.memory.warmup, obs.memory.test, obs.memory.control) } : {}),
  });
}

async function memoryPhase(
  app: LaunchedApp,
  traffic: Traffic,
  obs: ProbeObservations,
  settings: { requests: number; timeCapMs: number },
  thresholds: GrowthThresholds,
  header: (user: string, password: string) => string,
  runId: string,
): Promise<void> {
  const started = Date.now();
  const deadline = started + settings.timeCapMs;
  const shouldStop = () => (app.exit !== undefined ? ('app-exit' as const) : undefined);
  let done = 0;
  const onResponse = () => void done++;
  const authHeader = obs.authHeader;

  // Warm-up with one credential: thread pools fill, caches and arenas settle, lazy imports run.
  // When time, not the count, bounds the phase (a slow or busy machine), the distinct run gets
  // three quarters of it: its length decides whether a leak clears the growth floor.
  const oneCount = Math.ceil(settings.requests / 4);
  const oneHeader = { [authHeader]: header(`canary-${runId}-control`, `pw-${runId}-control-0000`) };
  const sampled = async (count: number, headersFor: (i: number) => Record<string, string>, until: number) => {
    const sampler = new RssSampler(app, () => done);
    sampler.start();
    const run = await traffic.bulk(count, headersFor, { deadline: until, shouldStop, onResponse });
    return { run, samples: sampler.stop() };
  };
  const warmup = await sampled(oneCount, () => oneHeader, started + settings.timeCapMs * 0.15);
  const distinct = await sampled(
    settings.requests,
    (i) => {
      const n = i.toString(36).padStart(5, '0');
      return { [authHeader]: header(`canary-${runId}-${n}`, `pw-${runId}-${n}-${((i * 2654435761) >>> 0).toString(16)}`) };
    },
    started + settings.timeCapMs * 0.9,
  );
  // Control, after the distinct run: does memory keep growing when credentials stop changing?
  const control = await sampled(oneCount, () => oneHeader, deadline);
  const run = distinct.run;
  const test = distinct.samples;
  obs.memory = {
    result: judgeGrowth(test, control.samples, thresholds),
    warmup: warmup.samples,
    control: control.samples,
    test,
    statuses: run.statuses,
    requests: run.completed,
    durationMs: Date.now() - started,
    ...(run.stoppedBy ? { stoppedBy: run.stoppedBy } : {}),
  };
}

/** A URL on this machine: probe starts the app itself and sends it thousands of requests. */
function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Echo it without any user:password@ part.
    throw new ToolError(`--url "${raw.replace(/\/\/[^/]*@/, '//[REDACTED]@')}" is not a URL (expected e.g. http://127.0.0.1:8000/items)`);
  }
  if (url.protocol !== 'http:') throw new ToolError(`--url must be http:// (probe talks to the app it started, on this machine)`);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new ToolError(`--url must point at this machine (127.0.0.1, localhost or [::1]), not ${url.hostname}: probe starts the app itself`);
  }
  if (url.username || url.password) throw new ToolError('--url must not carry credentials: pass them with --auth');
  return url;
}

function warnAboutStatuses(failures: readonly Attempt[], warnings: string[]): void {
  const statuses = failures.map((a) => a.status ?? a.error ?? 'no answer');
  if (failures.length > 0 && !failures.some((a) => a.status === 401 || a.status === 403)) {
    warnings.push(`failed logins were answered ${[...new Set(statuses)].join(', ')}, not 401/403: is --url an endpoint that checks credentials (and --auth-header the header it reads)?`);
  }
}

/**
 * Logins answered exactly like a request with no credentials at all suggest the app never read
 * the header (e.g. FastAPI `auth: str = Header(None)` reads a header named "auth").
 */
function warnIfIgnored(failures: readonly Attempt[], anonymous: Exchange, authHeader: string, warnings: string[]): void {
  if (anonymous.status === undefined || failures.length === 0) return;
  const same = failures.every((a) => a.status === anonymous.status && a.body === anonymous.body);
  if (same) {
    warnings.push(
      `logins with credentials in the ${authHeader} header were answered exactly like a request without credentials (HTTP ${anonymous.status}): the app may read another header; see --auth-header`,
    );
  }
}

function summaryStats(obs: ProbeObservations): Record<string, number | string | boolean> {
  const stats: Record<string, number | string | boolean> = {
    canaryFailures: obs.failures.length,
    successfulLogins: obs.successes.filter((a) => a.status !== undefined && a.status < 300).length,
    malformedSent: obs.malformed.length,
    burstSent: obs.burst?.sent ?? 0,
    appExited: obs.appExit !== undefined,
  };
  const memory = obs.memory;
  if (memory) {
    stats['memoryRequests'] = memory.requests;
    stats['memoryDurationMs'] = memory.durationMs;
    stats['memoryVerdict'] = memory.result.verdict;
    // What the distinct-credential requests were answered with, e.g. "401 x20000".
    stats['memoryStatuses'] = Object.entries(memory.statuses).map(([status, n]) => `${status} x${n}`).join(', ');
    if (memory.result.test) stats['bytesPerRequest'] = Math.round(memory.result.test.slope);
    if (memory.result.control) stats['controlBytesPerRequest'] = Math.round(memory.result.control.slope);
    if (memory.result.test) stats['memoryFitR2'] = Math.round(memory.result.test.r2 * 1000) / 1000;
    stats['memoryReason'] = memory.result.reason;
    const last = memory.test.at(-1);
    if (last) stats['rssAtEnd'] = formatBytes(last.rss);
    if (memory.stoppedBy) stats['memoryStoppedBy'] = memory.stoppedBy;
  }
  return stats;
}

function definedOnly(options: ProbeOptions): Partial<typeof PROBE_DEFAULTS> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(PROBE_DEFAULTS) as (keyof typeof PROBE_DEFAULTS)[]) {
    const value = options[key];
    if (typeof value === 'number') out[key] = value;
  }
  return out;
}
