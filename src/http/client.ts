import { Agent } from 'undici';
import type { Readable } from 'node:stream';
import { Redactor } from '../core/redact.js';
import { readCappedBody, type CappedBody } from './body.js';
import {
  BudgetExhaustedError,
  classifyNetworkError,
  DeadlineError,
  MethodRefusedError,
  NetworkError,
  RuleBudgetError,
} from './errors.js';
import { Semaphore } from './semaphore.js';
import { verifyCertificate, type CertificateResult } from './tls.js';

export const READ_ONLY_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;
export const DEFAULT_BODY_CAP = 1024 * 1024;
/** Recorded exchanges keep this much of each body: enough for evidence, bounded for memory. */
export const RECORDED_BODY_LIMIT = 32 * 1024;

export interface HttpClientOptions {
  /** The target origin; requests elsewhere are refused unless listed in `extraOrigins`. */
  origin: string;
  extraOrigins?: string[];
  concurrency?: number;
  maxRequests?: number;
  timeoutMs?: number;
  maxDurationMs?: number;
  bodyCap?: number;
  maxRedirects?: number;
  insecure?: boolean;
  /** Opt-in for methods beyond GET, HEAD and OPTIONS. */
  allowUnsafeMethods?: boolean;
  redactor?: Redactor;
  userAgent?: string;
  /** Called after every request that went on the wire, with the running count. */
  onRequest?: (sent: number) => void;
  /** Called with every recorded exchange (request headers already redacted). */
  onExchange?: (exchange: Exchange) => void;
}

export interface RequestSpec {
  method?: string;
  /** A path (with query) on the target origin, or an absolute URL on an allowed origin. */
  path: string;
  headers?: Record<string, string>;
  followRedirects?: boolean;
  bodyCap?: number;
  /** Who sent it (a rule id, "discovery"), kept with the recording. */
  tag?: string;
  /**
   * Send `path` byte for byte (it must start with "/"), without URL normalization, so probes can
   * use dot segments and other spellings a URL parser would rewrite.
   */
  rawPath?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (set-cookie with "\n"). */
  headers: Record<string, string>;
  body: string;
  /** Decoded bytes read (at most the body cap). */
  bodyBytes: number;
  truncated?: CappedBody['truncated'];
  /** Time from sending to the response headers, in milliseconds. */
  elapsedMs: number;
  /** The URL that produced this response, after same-origin redirects. */
  url: string;
  redirects: string[];
  /** Location of a redirect that was not followed because it leaves the origin. */
  offOriginRedirect?: string;
}

export interface Exchange {
  id: number;
  tag: string;
  method: string;
  url: string;
  /** As sent, with credentials redacted. */
  requestHeaders: Record<string, string>;
  response?: HttpResponse;
  error?: NetworkError;
}

/** What a rule gets: the client's request path under the rule's own request cap. */
export interface Requester {
  readonly origin: string;
  /** Requests this holder may still send (the smaller of its own cap and the run's budget). */
  readonly remaining: number;
  request(spec: RequestSpec): Promise<Exchange>;
  exchanges(): readonly Exchange[];
}

/**
 * The only network path of the scan engine: one keep-alive pool per origin, per-host concurrency,
 * a global request budget, per-request and total time caps, a streamed body cap, same-origin
 * redirects with a hop limit, read-only methods unless opted in, and a redacted recording of
 * every exchange.
 */
export class HttpClient {
  readonly origin: string;
  readonly maxRequests: number;
  private readonly agent: Agent;
  private readonly origins: Set<string>;
  private readonly hostLimits = new Map<string, Semaphore>();
  private readonly deadline: AbortSignal;
  private readonly deadlineTimer: NodeJS.Timeout;
  private readonly redactor: Redactor;
  private readonly recorded: Exchange[] = [];
  private readonly options: Required<Pick<HttpClientOptions, 'concurrency' | 'timeoutMs' | 'bodyCap' | 'maxRedirects'>> &
    HttpClientOptions;
  private sentCount = 0;
  private nextId = 1;

  constructor(options: HttpClientOptions) {
    this.options = { concurrency: 4, timeoutMs: 10_000, bodyCap: DEFAULT_BODY_CAP, maxRedirects: 5, ...options };
    this.origin = new URL(options.origin).origin;
    this.origins = new Set([this.origin, ...(options.extraOrigins ?? []).map((o) => new URL(o).origin)]);
    this.maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
    // Own timers rather than AbortSignal.timeout/any: Node 20 may garbage-collect those before they fire.
    const deadline = new AbortController();
    this.deadline = deadline.signal;
    this.deadlineTimer = setTimeout(() => deadline.abort(), Math.min(options.maxDurationMs ?? 2_147_000_000, 2_147_000_000));
    this.deadlineTimer.unref();
    this.redactor = options.redactor ?? new Redactor();
    this.agent = new Agent({
      connections: this.options.concurrency,
      keepAliveTimeout: 4_000,
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
      // The handshake gets a share of the request timeout, so a host that never completes one is told
      // apart (unreachable) from one that connects and then does not answer (timeout).
      connect: { rejectUnauthorized: !options.insecure, timeout: Math.max(50, Math.floor(this.options.timeoutMs * 0.8)) },
    });
  }

  /** Requests sent so far (each redirect hop counts). */
  get sent(): number {
    return this.sentCount;
  }

  get remaining(): number {
    return Math.max(0, this.maxRequests - this.sentCount);
  }

  get timedOut(): boolean {
    return this.deadline.aborted;
  }

  /** Every exchange so far, oldest first, credentials redacted, bodies cut to 32 KiB. */
  exchanges(): readonly Exchange[] {
    return this.recorded;
  }

  /**
   * Sends one request and returns the exchange. Network failures come back as `exchange.error`;
   * only run limits (budget, time cap) and refused methods throw.
   */
  async request(spec: RequestSpec): Promise<Exchange> {
    const method = (spec.method ?? 'GET').toUpperCase();
    if (!this.options.allowUnsafeMethods && !(READ_ONLY_METHODS as readonly string[]).includes(method)) {
      throw new MethodRefusedError(method);
    }
    if (spec.rawPath && !/^\/[^\s#]*$/.test(spec.path)) throw new Error(`raw path must start with "/" and hold no spaces: ${spec.path.slice(0, 100)}`);
    const url = new URL(spec.path, this.origin);
    if (!this.origins.has(url.origin)) throw new Error(`out of scope: ${url.origin} is not the target origin`);
    const headers = { 'user-agent': this.options.userAgent ?? 'portcullis', accept: '*/*', 'accept-encoding': 'gzip, deflate, br', ...spec.headers };
    const exchange: Exchange = {
      id: this.nextId++,
      tag: spec.tag ?? '',
      method,
      url: spec.rawPath ? `${this.origin}${spec.path}` : url.href,
      requestHeaders: this.redactHeaders(headers),
    };
    const redirects: string[] = [];
    let current = url;
    let currentMethod = method;
    for (;;) {
      const raw = spec.rawPath && redirects.length === 0 ? spec.path : undefined;
      const hop = await this.send(currentMethod, current, headers, spec.bodyCap ?? this.options.bodyCap, raw);
      if (hop instanceof NetworkError) {
        exchange.error = hop;
        break;
      }
      hop.redirects = [...redirects];
      exchange.response = hop;
      const location = hop.headers['location'];
      if (spec.followRedirects === false || hop.status < 300 || hop.status > 399 || !location) break;
      const next = safeUrl(location, current);
      if (!next || next.origin !== current.origin) {
        if (next) hop.offOriginRedirect = next.href;
        break;
      }
      if (redirects.length >= this.options.maxRedirects) {
        exchange.error = new NetworkError('redirect-limit', `more than ${this.options.maxRedirects} redirects from ${url.pathname}`);
        break;
      }
      redirects.push(next.href);
      if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && currentMethod !== 'HEAD')) currentMethod = 'GET';
      current = next;
    }
    this.record(exchange);
    return exchange;
  }

  /** A view that may send at most `limit` requests (a rule's declared budget), then throws RuleBudgetError. */
  limitedTo(limit: number): Requester {
    let used = 0;
    const runRemaining = () => this.remaining;
    return {
      origin: this.origin,
      get remaining() {
        return Math.min(runRemaining(), limit - used);
      },
      request: async (spec) => {
        if (used >= limit) throw new RuleBudgetError(limit);
        used++;
        return this.request(spec);
      },
      exchanges: () => this.exchanges(),
    };
  }

  /** Verifies the target's certificate on a separate connection (https only; not a request). */
  checkCertificate(): Promise<CertificateResult> {
    return verifyCertificate(new URL(this.origin), this.options.timeoutMs);
  }

  async close(): Promise<void> {
    clearTimeout(this.deadlineTimer);
    await this.agent.destroy().catch(() => undefined);
  }

  private async send(method: string, url: URL, headers: Record<string, string>, bodyCap: number, rawPath?: string): Promise<HttpResponse | NetworkError> {
    const limiter = this.limiterFor(url.host);
    return limiter.run(async () => {
      if (this.deadline.aborted) throw new DeadlineError(this.options.maxDurationMs ?? 0);
      if (this.sentCount >= this.maxRequests) throw new BudgetExhaustedError(this.maxRequests);
      this.sentCount++;
      this.options.onRequest?.(this.sentCount);
      const controller = new AbortController();
      const signal = controller.signal;
      const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
      const onDeadline = () => controller.abort();
      this.deadline.addEventListener('abort', onDeadline, { once: true });
      const started = performance.now();
      try {
        const response = await this.agent.request({
          origin: url.origin,
          path: rawPath ?? url.pathname + url.search,
          method: method as 'GET',
          headers,
          signal,
        });
        const elapsedMs = performance.now() - started;
        const responseHeaders = flattenHeaders(response.headers);
        const body =
          method === 'HEAD'
            ? { bytes: Buffer.alloc(0), decodedBytes: 0 }
            : await readCappedBody(response.body as unknown as Readable, {
                cap: bodyCap,
                contentEncoding: responseHeaders['content-encoding'],
                signal,
              });
        const result: HttpResponse = {
          status: response.statusCode,
          headers: responseHeaders,
          body: body.bytes.toString('utf8'),
          bodyBytes: body.decodedBytes,
          elapsedMs,
          url: url.href,
          redirects: [],
        };
        if ('truncated' in body && body.truncated) result.truncated = body.truncated;
        return result;
      } catch (error) {
        if (this.deadline.aborted) throw new DeadlineError(this.options.maxDurationMs ?? 0);
        return classifyNetworkError(error, url.origin);
      } finally {
        clearTimeout(timer);
        this.deadline.removeEventListener('abort', onDeadline);
      }
    });
  }

  private limiterFor(host: string): Semaphore {
    let limiter = this.hostLimits.get(host);
    if (!limiter) this.hostLimits.set(host, (limiter = new Semaphore(this.options.concurrency)));
    return limiter;
  }

  private redactHeaders(headers: Record<string, string>): Record<string, string> {
    return redactHeaderMap(this.redactor, headers);
  }

  private record(exchange: Exchange): void {
    const response = exchange.response;
    const kept = response && response.body.length > RECORDED_BODY_LIMIT ? { ...exchange, response: { ...response, body: response.body.slice(0, RECORDED_BODY_LIMIT) } } : exchange;
    this.recorded.push(kept);
    this.options.onExchange?.(kept);
  }
}

/**
 * Headers with secret values masked: registered secrets anywhere, and the whole value of headers
 * that carry credentials (Authorization, Cookie, Set-Cookie...), line by line for joined Set-Cookie.
 */
export function redactHeaderMap(redactor: Redactor, headers: Record<string, string>): Record<string, string> {
  const redactValue = (name: string, value: string) =>
    value
      .split('\n')
      .map((line) => redactor.redact(`${name}: ${line}`).slice(name.length + 2))
      .join('\n');
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, redactValue(name, value)]));
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    out[key] = Array.isArray(value) ? value.join(key === 'set-cookie' ? '\n' : ', ') : value;
  }
  return out;
}

function safeUrl(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}
