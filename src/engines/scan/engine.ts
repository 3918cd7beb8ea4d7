import { createFinding, type Finding } from '../../core/finding.js';
import { ToolError, describeError } from '../../core/errors.js';
import { Redactor } from '../../core/redact.js';
import { buildReport, type Report, type ToolErrorEntry } from '../../core/report.js';
import { HttpClient, RECORDED_BODY_LIMIT, redactHeaderMap, type Exchange } from '../../http/client.js';
import { isCertificateFailure, isNotTls } from '../../http/tls.js';
import { isRunLimit, RuleBudgetError } from '../../http/errors.js';
import type { Operation } from '../../openapi/types.js';
import { authHeaders, parseAuth, registerSecrets, type AuthCredential } from './auth.js';
import { requiredHeaders } from './auth-surface.js';
import { Canaries, type OperationProbe, type ScanContext, type ScanRule } from './context.js';
import { discover } from './discover.js';
import { NOT_FOUND_TAG } from './evidence.js';
import { randomMissingPath } from './not-found.js';
import { SCAN_DEFAULTS, type RecordedExchange, type ScanHooks, type ScanOptions, type ScanProgress } from './options.js';
import { SCAN_RULES } from './rules/index.js';
import { TIER_LIMITS, type Tier } from './tiers.js';

export type { ScanOptions, ScanHooks, ScanProgress, RecordedExchange } from './options.js';

/** The target URL, checked, with credentials lifted out of it (never kept in the report). */
function parseTarget(raw: string): { url: URL; auth?: AuthCredential } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ToolError(`invalid target URL "${raw.slice(0, 200)}": expected http://host[:port][/path] or https://...`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ToolError(`invalid target URL: ${url.protocol} is not http or https`);
  if (!url.hostname) throw new ToolError('invalid target URL: no host');
  let auth: AuthCredential | undefined;
  if (url.username || url.password) {
    auth = { kind: 'basic', user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    url.username = '';
    url.password = '';
  }
  return { url, auth };
}

function specUrlOrigin(spec: string): string {
  try {
    return new URL(spec).origin;
  } catch {
    throw new ToolError(`--spec: invalid URL "${spec.slice(0, 200)}"`);
  }
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new ToolError(`${name} must be a positive number`);
  return value;
}

/**
 * Baseline of each operation, bodies cut to what evidence needs (hundreds of operations are kept in
 * memory at once); a run limit keeps what was answered so far.
 */
async function probeOperations(
  client: HttpClient,
  operations: readonly Operation[],
  auth: Record<string, string>,
  warn: (m: string) => void,
): Promise<OperationProbe[]> {
  const settled = await Promise.allSettled(
    operations.map(async (operation) => {
      const headers = requiredHeaders(operation);
      const anonymous = await client.request({ path: operation.path, headers, tag: 'baseline', bodyCap: RECORDED_BODY_LIMIT });
      const probe: OperationProbe = { operation, anonymous };
      if (Object.keys(auth).length > 0) {
        probe.authenticated = await client.request({ path: operation.path, headers: { ...headers, ...auth }, tag: 'baseline-auth', bodyCap: RECORDED_BODY_LIMIT });
      }
      return probe;
    }),
  );
  const probes: OperationProbe[] = [];
  for (const result of settled) {
    if (result.status === 'fulfilled') probes.push(result.value);
    else if (isRunLimit(result.reason)) warn(`${result.reason.message} during the baseline: ${operations.length - probes.length} operations not fully probed`);
    else throw result.reason;
  }
  return probes;
}

/** Connects once: a target that gives no HTTP answer at all stops the scan with a one-line error. */
async function connect(client: HttpClient, target: URL, warn: (m: string) => void): Promise<void> {
  const first = await client.request({ path: target.pathname + target.search, tag: 'connect' });
  if (first.error && !first.response) {
    // A TLS-only port drops a plaintext request without a word: the usual cause of a reset here.
    const hint = first.error.kind === 'reset' && target.protocol === 'http:' ? `; if it serves HTTPS, try https://${target.host}` : '';
    throw new ToolError(`cannot scan ${target.origin}: ${first.error.message}${hint}`);
  }
  if (first.error) warn(`${target.pathname}: ${first.error.message}`);
  if (first.response?.offOriginRedirect) warn(`${target.href} redirects to ${first.response.offOriginRedirect}, another origin that is not followed: scan that URL instead`);
  if (first.response?.truncated) warn(`${target.pathname}: response cut off (${first.response.truncated}) after ${first.response.bodyBytes} bytes`);
}

/** Discovery, the not-found profile and the baseline; a run limit here leaves a partial survey and a warning. */
async function survey(client: HttpClient, context: ScanContext, spec: string | undefined, warn: (m: string) => void): Promise<void> {
  const { limits, tier } = context;
  try {
    const found = await discover(client, context.target, { ...(spec ? { spec } : {}), specLocations: limits.specLocations, warn });
    if (found.api) context.api = found.api;
    context.operations = found.operations;
    const missing = await client.request({ path: randomMissingPath(), tag: NOT_FOUND_TAG, bodyCap: RECORDED_BODY_LIMIT });
    context.notFound = { path: new URL(missing.url).pathname, ...(missing.response ? { response: missing.response } : {}) };
    const readOnly = found.operations.filter((o) => o.method === 'GET');
    const scanned = readOnly.slice(0, limits.operations);
    if (readOnly.length > scanned.length) warn(`${readOnly.length - scanned.length} of ${readOnly.length} read-only operations not scanned (tier ${tier} covers ${limits.operations})`);
    context.probes = await probeOperations(client, scanned, context.authHeaders, warn);
  } catch (error) {
    if (!isRunLimit(error)) throw error;
    warn(`${error.message} before the baseline was complete`);
  }
}

/** Runs each rule with its own request cap; a rule that fails becomes an error entry, never the end of the run. */
async function runRules(
  rules: readonly ScanRule[],
  client: HttpClient,
  context: ScanContext,
  sink: { findings: Finding[]; errors: ToolErrorEntry[]; redactor: Redactor; warn: (m: string) => void; onRule: (id: string) => void },
): Promise<void> {
  let limitHit = false;
  for (const rule of rules) {
    if (limitHit && rule.mode === 'active') continue;
    sink.onRule(rule.id);
    context.report = (input) => sink.findings.push(createFinding(rule, redactFinding(sink.redactor, input)));
    context.client = client.limitedTo(rule.budget);
    try {
      await rule.check(context);
    } catch (error) {
      if (error instanceof RuleBudgetError) {
        sink.warn(`${rule.id} stopped at its own budget of ${error.limit} requests`);
      } else if (isRunLimit(error)) {
        limitHit = true;
        sink.warn(`${error.message}: ${rule.id} stopped early, later active checks skipped`);
      } else {
        sink.errors.push({ ruleId: rule.id, message: sink.redactor.redact(describeError(error)) });
      }
    }
  }
}

/**
 * Scans a live API from the outside: connect, discover operations, take a baseline of each
 * read-only one, run the rules, and build the report (engine "scan").
 */
export async function runScan(options: ScanOptions, hooks: ScanHooks = {}): Promise<Report> {
  const startedAt = new Date();
  const { url: target, auth: urlAuth } = parseTarget(options.target);
  const tier: Tier = options.tier ?? 'standard';
  const limits = TIER_LIMITS[tier];
  if (!limits) throw new ToolError(`unknown tier "${String(tier)}": quick, standard or deep`);
  const auth = typeof options.auth === 'string' ? parseAuth(options.auth) : (options.auth ?? urlAuth);
  const redactor = new Redactor();
  registerSecrets(auth, redactor);
  const maxRequests = Math.floor(positive('--max-requests', options.maxRequests, limits.maxRequests));

  let phase: ScanProgress['phase'] = 'connect';
  let currentRule: string | undefined;
  const progress = (sent: number) => hooks.onProgress?.({ phase, sent, maxRequests, ...(currentRule ? { rule: currentRule } : {}) });
  const client = new HttpClient({
    origin: target.origin,
    extraOrigins: options.spec && /^https?:\/\//i.test(options.spec) ? [specUrlOrigin(options.spec)] : [],
    concurrency: Math.floor(positive('--concurrency', options.concurrency, SCAN_DEFAULTS.concurrency)),
    maxRequests,
    timeoutMs: positive('--timeout', options.timeoutMs, SCAN_DEFAULTS.timeoutMs),
    maxDurationMs: positive('--max-duration', options.maxDurationMs, SCAN_DEFAULTS.maxDurationMs),
    ...(options.bodyCap === undefined ? {} : { bodyCap: positive('body cap', options.bodyCap, 1) }),
    insecure: options.insecure === true,
    redactor,
    onRequest: progress,
    ...(hooks.onExchange ? { onExchange: (exchange: Exchange) => hooks.onExchange!(redactor.redactDeep(toRecorded(exchange, redactor))) } : {}),
  });

  const findings: Finding[] = [];
  const errors: ToolErrorEntry[] = [];
  const warnings: string[] = [];
  const warn = (message: string) => {
    const line = redactor.redact(message);
    if (!warnings.includes(line)) warnings.push(line);
  };
  const context: ScanContext = {
    target,
    tier,
    limits,
    client: client.limitedTo(0),
    operations: [],
    probes: [],
    notFound: { path: '' },
    authHeaders: authHeaders(auth),
    canaries: new Canaries(),
    report: () => undefined,
    warn,
  };
  if (auth) context.auth = auth;
  if (options.knownUser) context.knownUser = options.knownUser;
  const rules = options.rules ?? SCAN_RULES;
  try {
    if (target.protocol === 'https:') context.certificate = await client.checkCertificate();
    if (context.certificate && isNotTls(context.certificate)) {
      throw new ToolError(`cannot scan ${target.origin}: it does not answer with TLS (${context.certificate.code || 'handshake failed'}); a plain-HTTP port? try http://${target.host}`);
    }
    const stopOnCertificate = context.certificate !== undefined && isCertificateFailure(context.certificate) && !options.insecure;
    if (stopOnCertificate) {
      warn(`the certificate of ${target.origin} does not verify (${context.certificate?.code ?? context.certificate?.error}); scan stopped, use --insecure to scan anyway`);
    } else {
      await connect(client, target, warn);
      phase = 'discover';
      await survey(client, context, options.spec, warn);
    }
    phase = 'rules';
    await runRules(orderRules(rules, stopOnCertificate), client, context, { findings, errors, redactor, warn, onRule: (id) => (currentRule = id) });
  } catch (error) {
    if (isRunLimit(error)) throw new ToolError(`cannot scan ${target.origin}: ${error.message} before the scan could start`);
    throw error;
  } finally {
    hooks.onProgress?.({ phase: 'done', sent: client.sent, maxRequests });
    await client.close();
  }

  return buildReport({
    engine: 'scan',
    target: target.href,
    startedAt,
    findings,
    rules,
    errors,
    warnings,
    stats: {
      tier,
      requests: client.sent,
      maxRequests,
      operations: context.operations.length,
      operationsProbed: context.probes.length,
      spec: context.api?.format ?? 'none',
      findings: findings.length,
    },
  });
}

/** Active rules first (they create the traffic), passive ones after (they read all of it); TLS alone when stopped. */
function orderRules(rules: readonly ScanRule[], certificateOnly: boolean): ScanRule[] {
  if (certificateOnly) return rules.filter((r) => r.id.startsWith('tls.'));
  return [...rules.filter((r) => r.mode === 'active'), ...rules.filter((r) => r.mode === 'passive')];
}

function toRecorded(exchange: Exchange, redactor: Redactor): RecordedExchange {
  const out: RecordedExchange = { id: exchange.id, tag: exchange.tag, method: exchange.method, url: exchange.url, requestHeaders: exchange.requestHeaders };
  if (exchange.response) {
    out.status = exchange.response.status;
    out.responseHeaders = redactHeaderMap(redactor, exchange.response.headers);
    out.body = exchange.response.body.slice(0, 4096);
    out.elapsedMs = Math.round(exchange.response.elapsedMs * 10) / 10;
  }
  if (exchange.error) out.error = exchange.error.message;
  return out;
}

function redactFinding<T extends { message: string; evidence?: string }>(redactor: Redactor, input: T): T {
  const out = { ...input, message: redactor.redact(input.message) };
  if (input.evidence !== undefined) out.evidence = redactor.redact(input.evidence);
  return out;
}
