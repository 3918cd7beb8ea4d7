import { open, stat } from 'node:fs/promises';

export type LogSource = 'stdout' | 'stderr' | 'file';

/** One line the app wrote, stamped with when portcullis received it (ms since epoch). */
export interface LogLine {
  at: number;
  source: LogSource;
  text: string;
}

const MAX_LINE = 16_384;
const TAIL_LINES = 40;

/**
 * Collects the app's output line by line. While `recording` is off (the memory phase sends
 * thousands of requests) lines are only counted and kept in a short tail, so memory stays bounded.
 */
export class LogCapture {
  readonly lines: LogLine[] = [];
  recording = true;
  total = 0;
  private readonly maxLines: number;
  private readonly partial: Record<LogSource, string> = { stdout: '', stderr: '', file: '' };
  private readonly recent: string[] = [];

  constructor(maxLines = 20_000) {
    this.maxLines = maxLines;
  }

  push(source: LogSource, chunk: string): void {
    const text = this.partial[source] + chunk;
    const parts = text.split(/\r?\n/);
    this.partial[source] = (parts.pop() ?? '').slice(-MAX_LINE);
    for (const line of parts) this.add(source, line);
  }

  /** Emits what is left without a newline (at exit, or when a phase ends). */
  flush(): void {
    for (const source of ['stdout', 'stderr', 'file'] as const) {
      if (this.partial[source]) this.add(source, this.partial[source]);
      this.partial[source] = '';
    }
  }

  /** The last lines written, for error messages. */
  tail(n = TAIL_LINES): string {
    return this.recent.slice(-n).join('\n');
  }

  private add(source: LogSource, raw: string): void {
    const text = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
    if (text.trim() === '') return;
    this.total++;
    this.recent.push(text);
    if (this.recent.length > TAIL_LINES * 2) this.recent.splice(0, TAIL_LINES);
    if (this.recording && this.lines.length < this.maxLines) this.lines.push({ at: Date.now(), source, text });
  }
}

/**
 * Follows a log file by polling (portable, no inotify limits): starts at its size when the probe
 * begins, so earlier runs are ignored; starts over when the file is truncated or rotated.
 */
export class FileTail {
  /** Whether the file existed at any poll: a wrong --log-file path is worth a warning. */
  seen = false;
  private offset = -1;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;

  constructor(
    private readonly file: string,
    private readonly onChunk: (chunk: string) => void,
    private readonly intervalMs = 50,
  ) {}

  async start(): Promise<void> {
    this.offset = await this.size();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
  }

  /** Reads whatever is new, then stops polling. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    while (this.reading) await new Promise((r) => setTimeout(r, 10));
    await this.poll();
  }

  async poll(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const size = await this.size();
      if (size < this.offset) this.offset = 0;
      if (size === this.offset) return;
      const handle = await open(this.file, 'r');
      try {
        const buffer = Buffer.alloc(size - this.offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        this.offset += bytesRead;
        this.onChunk(buffer.subarray(0, bytesRead).toString('utf8'));
      } finally {
        await handle.close();
      }
    } catch {
      // Not created yet, or rotated away between stat and open: try again next tick.
    } finally {
      this.reading = false;
    }
  }

  private async size(): Promise<number> {
    try {
      const size = (await stat(this.file)).size;
      this.seen = true;
      return size;
    } catch {
      return 0;
    }
  }
}
