import type { ParseResult } from './event.js';
import { detectFormat, type ConcreteFormat, type LineParser } from './parsers/index.js';

const SNIFF_LINES = 20;

/** What each line of one input turned out to be: exactly one call per line, in order of line number. */
export interface LineOutcome {
  blank: () => void;
  oversized: (lineNo: number, head: string, bytes: number) => void;
  /**
   * A parsed line ('malformed' also when no format reads it). `current` when it is the line just read, not one
   * held back while the format was being detected.
   */
  parsed: (lineNo: number, text: string, result: ParseResult, current: boolean) => void;
}

/**
 * The parsing half of an input, with no detection state, so it can run on another thread: numbers lines,
 * detects the format from the first lines (held back until then), and parses each line.
 */
export class LineReader {
  lineNo = 0;
  format: ConcreteFormat | undefined;
  private parser: LineParser | undefined;
  /** Lines held back until the format is known, with their numbers. */
  private readonly sniffed: { text: string; lineNo: number }[] = [];

  constructor(
    private readonly parsers: Record<ConcreteFormat, LineParser>,
    format: ConcreteFormat | undefined,
    private readonly out: LineOutcome,
  ) {
    if (format) this.use(format);
  }

  use(format: ConcreteFormat): void {
    this.format = format;
    this.parser = this.parsers[format];
  }

  line(text: string): void {
    this.lineNo++;
    if (text.length === 0 || text.trim().length === 0) return this.out.blank();
    if (!this.parser) {
      this.sniffed.push({ text, lineNo: this.lineNo });
      if (this.sniffed.length >= SNIFF_LINES) this.detect();
      return;
    }
    this.out.parsed(this.lineNo, text, this.parser(text), true);
  }

  /** A line the parsing thread's fast path read itself: numbered like the rest; returns its number. */
  numberLine(): number {
    return ++this.lineNo;
  }

  oversized(head: string, bytes: number): void {
    this.lineNo++;
    this.out.oversized(this.lineNo, head, bytes);
  }

  /** Picks the format from the lines held back, then parses them; undetectable lines are malformed. */
  detect(): void {
    if (this.parser || this.sniffed.length === 0) return;
    const held = this.sniffed.splice(0);
    const format = detectFormat(held.map((h) => h.text), this.parsers);
    if (format) this.use(format);
    const parser = this.parser as LineParser | undefined;
    for (const { text, lineNo } of held) this.out.parsed(lineNo, text, parser ? parser(text) : 'malformed', false);
  }
}
