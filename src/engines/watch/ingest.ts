import type { Redactor } from '../../core/redact.js';
import { AlertBook, type AlertListener, type AlertSample } from './alerts.js';
import type { WatchConfig } from './config.js';
import type { AuthEvent, EventInput, ParseResult } from './event.js';
import type { GeoLookup } from './geo.js';
import { KeySpace } from './keys.js';
import { LineReader } from './line-reader.js';
import { createParsers, type ConcreteFormat, type LineParser } from './parsers/index.js';
import type { DetectionKeys, Detector } from './rules/context.js';
import { WATCH_RULES } from './rules/index.js';
import { LineSplitter } from './sources/lines.js';
import { ForensicSummary, printable } from './summary.js';

const MAX_SAMPLES = 5;
const SAMPLE_CHARS = 300;
const SWEEP_EVERY = 4096;
/** A time further ahead of the clock than this is junk: taken as the newest, it would make every later event late. */
const FUTURE_SLACK_MS = 86_400_000;
/**
 * Secrets an app wrongly logged (`password=...`, `"token": "..."`): samples travel to reports, files and
 * webhooks, so their values are masked. The key may be quoted; the value is quoted or runs to a delimiter.
 */
const LOGGED_SECRET = /(["']?)\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?token|client[_-]?secret)\1(\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;&}]+)/gi;

/** Counters of one run; every skipped line is counted under one of them. */
export interface IngestCounters {
  lines: number;
  blank: number;
  events: number;
  ignored: number;
  malformed: number;
  binary: number;
  oversized: number;
  late: number;
  /** Events whose line had no time (uvicorn's default access log). */
  untimed: number;
}

/**
 * Gives an admitted event its key slots: finds them, and makes them where the event may start state (for
 * failures, and the user of a placed login). By default from the strings; the parsing thread's events, from
 * the ids they came with.
 */
export type SlotResolver = (event: AuthEvent, createIp: boolean, createUser: boolean) => void;

/** One input: its lines and their format (see LineReader), and its own clock (for lines without a time). */
export class Source {
  lastTime = NaN;
  /** Newest event time read from this input. */
  frontier = -Infinity;
  /** Events held back for a time-ordered merge with other inputs (see sources/merge.ts); undefined: dispatched at once. */
  held: AuthEvent[] | undefined;
  /** How its events get their key slots, when not from their strings. */
  slots: SlotResolver | undefined;
  readonly reader: LineReader;
  readonly splitter: LineSplitter;

  constructor(
    readonly name: string,
    ingest: Ingest,
    format: ConcreteFormat | undefined,
  ) {
    this.reader = new LineReader(ingest.parsers, format, {
      blank: () => ingest.blank(),
      oversized: (lineNo, head, bytes) => ingest.oversized(this, lineNo, head, bytes),
      parsed: (lineNo, text, result) => ingest.parsed(this, lineNo, result, text),
    });
    this.splitter = new LineSplitter(ingest.config.maxLineBytes, {
      line: (bytes, start, end) => this.reader.line(bytes.toString('utf8', start, end)),
      oversized: (head, bytes) => this.reader.oversized(head, bytes),
    });
  }

  get format(): ConcreteFormat | undefined {
    return this.reader.format;
  }

  get lineNo(): number {
    return this.reader.lineNo;
  }

  push(chunk: Buffer): void {
    this.splitter.push(chunk);
  }

  /** Nothing more to read for now (following): decide the format from what has come so far, so alerts are not held back. */
  idle(): void {
    this.reader.detect();
  }

  /** End of this input: flush the last line and decide the format of a short source. */
  end(): void {
    this.splitter.end();
    this.reader.detect();
  }
}

/**
 * The synchronous heart of the engine: lines in, events to every rule's detector, alerts out through the
 * listener. Event time comes from the log; the newest time seen is the watermark, and events further
 * behind it than the allowed lateness are counted as late and left out of detection.
 */
export class Ingest {
  readonly counters: IngestCounters = { lines: 0, blank: 0, events: 0, ignored: 0, malformed: 0, binary: 0, oversized: 0, late: 0, untimed: 0 };
  readonly samples: string[] = [];
  readonly parsers: Record<ConcreteFormat, LineParser>;
  readonly alerts: AlertBook;
  readonly summary: ForensicSummary;
  /** The client IPs and usernames detection tracks, at most `maxKeys` of each. */
  readonly keys: DetectionKeys;
  private readonly detectors: Detector[];
  /** Those that look at successes too. */
  private readonly successDetectors: Detector[];
  private readonly byText: SlotResolver = (event, createIp, createUser) => {
    event.ipSlot = this.keys.ip.resolve(event.ip, createIp);
    event.userSlot = this.keys.user.resolve(event.user, createUser);
  };
  watermark = -Infinity;
  /** A day past the clock when last read: the clock only moves on, so a time below it needs no new reading. */
  private future = -Infinity;

  constructor(
    readonly config: WatchConfig,
    private readonly redactor: Redactor,
    listener: AlertListener,
    private readonly geo?: GeoLookup,
    /** Following: a line without a time is taken to happen when it is read. */
    private readonly live = false,
  ) {
    this.parsers = createParsers(config);
    this.alerts = new AlertBook(listener, config.maxAlerts);
    this.keys = { ip: new KeySpace(config.maxKeys), user: new KeySpace(config.maxKeys) };
    this.summary = new ForensicSummary(this.keys);
    const context = { settings: config.rules, keys: this.keys, alerts: this.alerts, sample: (e: AuthEvent) => this.sample(e) };
    this.detectors = WATCH_RULES.map((rule) => rule.check(context) as Detector);
    this.successDetectors = this.detectors.filter((d) => !d.failuresOnly);
  }

  source(name: string, format?: ConcreteFormat): Source {
    return new Source(name, this, format);
  }

  blank(): void {
    this.counters.lines++;
    this.counters.blank++;
  }

  oversized(source: Source, lineNo: number, head: string, bytes: number): void {
    this.counters.lines++;
    this.counters.oversized++;
    this.note(`${source.name}:${lineNo}: line of ${bytes} bytes over the ${this.config.maxLineBytes}-byte cap: ${printable(head.slice(0, 80))}...`);
  }

  private malformed(source: Source, lineNo: number, text: string, why?: string): void {
    this.counters.malformed++;
    const binary = text.includes('\u0000') || text.includes('\uFFFD');
    if (binary) this.counters.binary++;
    this.note(`${source.name}:${lineNo}: ${binary ? 'binary data' : (why ?? 'unreadable line')}: ${printable(this.mask(text.slice(0, 120)))}`);
  }

  private note(sample: string): void {
    if (this.samples.length < MAX_SAMPLES) this.samples.push(sample);
  }

  /**
   * A parsed line, to detection. `text` is the line's; an event that came from another thread without it
   * carries its own `raw`.
   */
  parsed(source: Source, lineNo: number, result: ParseResult | AuthEvent, text?: string): void {
    this.counters.lines++;
    if (result === 'malformed') return this.malformed(source, lineNo, text ?? '');
    if (result === 'ignored') {
      this.counters.ignored++;
      return;
    }
    const event = result as AuthEvent;
    if (Number.isNaN(event.time)) {
      // No time in the line (uvicorn's access log): the source's last time; else, following, the time it is
      // read (the newest event time would stand still); else the newest seen, else now.
      this.counters.untimed++;
      if (!Number.isNaN(source.lastTime)) event.time = source.lastTime;
      else event.time = this.live || !Number.isFinite(this.watermark) ? Date.now() : this.watermark;
    } else if (event.time > this.future && event.time > (this.future = Date.now() + FUTURE_SLACK_MS)) {
      return this.malformed(source, lineNo, text ?? event.raw, 'time more than a day ahead of the clock');
    } else {
      source.lastTime = event.time;
    }
    event.source = source.name;
    event.line = lineNo;
    if (text !== undefined) event.raw = text;
    if (!source.held) return this.admit(event, source.slots);
    if (event.time < source.frontier - this.config.lateness) {
      this.counters.late++;
      return;
    }
    if (event.time > source.frontier) source.frontier = event.time;
    source.held.push(event);
  }

  /** An event in (roughly) event-time order: late ones are counted and left out, the rest detected. */
  admit(event: AuthEvent, slots = this.byText): void {
    if (event.time < this.watermark - this.config.lateness) {
      this.counters.late++;
      return;
    }
    if (event.time > this.watermark) this.watermark = event.time;
    // Only logins are placed: impossible travel is the one rule that needs geo.
    if (!event.failure) this.geo?.enrich(event);
    this.event(event, slots);
  }

  /** Runs one event through every detector (also the entry point for tests and benchmarks that skip parsing). */
  event(input: EventInput, slots = this.byText): void {
    const event = input as AuthEvent;
    // A success only ends or adds to what failures started, but a placed login is impossible travel's start.
    slots(event, event.failure, event.failure || event.lat !== undefined || event.country !== undefined);
    this.counters.events++;
    this.summary.add(event);
    if (event.failure) for (const detector of this.detectors) detector.onEvent(event);
    // A success of keys without slots meets no state that a rule keeps: only the summary counts it.
    else if (event.ipSlot >= 0 || event.userSlot >= 0) for (const detector of this.successDetectors) detector.onEvent(event);
    if (this.counters.events % SWEEP_EVERY === 0) this.alerts.sweep(this.watermark);
  }

  sample(event: AuthEvent): AlertSample {
    return {
      time: new Date(event.time).toISOString(),
      source: event.source,
      line: event.line,
      text: this.mask(event.raw.length > SAMPLE_CHARS ? `${event.raw.slice(0, SAMPLE_CHARS)}...` : event.raw),
    };
  }

  /** A log line fit to quote: known secrets and logged credentials masked. */
  private mask(text: string): string {
    return this.redactor.redact(text).replace(LOGGED_SECRET, (_m, q: string, key: string, sep: string, value: string) => {
      const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
      return `${q}${key}${q}${sep}${quote}[REDACTED]${quote}`;
    });
  }

  /** Keys tracked now and evictions so far, in all and per rule (a key several rules track counts in each). */
  tracked(): { keys: number; evictions: number; byRule: { ruleId: string; evictions: number }[] } {
    const byRule = this.detectors.map((d, i) => ({ ruleId: WATCH_RULES[i]!.id, ...d.tracked() }));
    return {
      keys: byRule.reduce((sum, r) => sum + r.keys, 0),
      evictions: byRule.reduce((sum, r) => sum + r.evictions, 0),
      byRule: byRule.map(({ ruleId, evictions }) => ({ ruleId, evictions })),
    };
  }
}
