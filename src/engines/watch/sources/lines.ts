export interface LineSink {
  /** One line, bytes[start, end) without its newline (nor a CR before it); the bytes are valid during the call only. */
  line: (bytes: Buffer, start: number, end: number) => void;
  /** A line longer than the cap: skipped, with its first bytes as a sample. */
  oversized: (head: string, bytes: number) => void;
  /**
   * Takes as many whole lines of `chunk` from `start` on as it can itself, as `line` would have (each ended by a
   * newline, none over the cap); returns the start of the first it did not take. Asked only between lines.
   */
  bulk?: (chunk: Buffer, start: number) => number;
}

const NEWLINE = 10;
const HEAD_BYTES = 200;

/**
 * Splits byte chunks into lines without ever holding more than `maxLineBytes` of one line:
 * a longer line is reported as oversized and skipped up to its newline.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private pending = 0;
  /** Bytes of an oversized line seen so far; -1 when not inside one. */
  private skipping = -1;
  private head = '';

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    const bulk = this.sink.bulk;
    for (;;) {
      if (bulk && this.pending === 0 && this.skipping < 0) start = bulk(chunk, start);
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) break;
      this.complete(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  /** End of input: a last line without a newline still counts. */
  end(): void {
    if (this.pending > 0 || this.skipping >= 0) this.complete(Buffer.alloc(0), 0, 0);
  }

  /** Forget a partial line (the file was truncated or replaced under us). */
  reset(): void {
    this.parts = [];
    this.pending = 0;
    this.skipping = -1;
  }

  private hold(rest: Buffer): void {
    if (this.skipping >= 0) {
      this.skipping += rest.length;
      return;
    }
    if (this.pending + rest.length > this.maxLineBytes) {
      this.head = Buffer.concat([...this.parts, rest]).subarray(0, HEAD_BYTES).toString('utf8');
      this.skipping = this.pending + rest.length;
      this.parts = [];
      this.pending = 0;
      return;
    }
    // Copy: the caller may reuse its buffer.
    this.parts.push(Buffer.from(rest));
    this.pending += rest.length;
  }

  private complete(chunk: Buffer, start: number, end: number): void {
    if (this.skipping >= 0) {
      this.sink.oversized(this.head, this.skipping + end - start);
      this.skipping = -1;
      return;
    }
    if (this.pending > 0) {
      const whole = Buffer.concat([...this.parts, chunk.subarray(start, end)]);
      this.parts = [];
      this.pending = 0;
      if (whole.length > this.maxLineBytes) {
        this.sink.oversized(whole.subarray(0, HEAD_BYTES).toString('utf8'), whole.length);
        return;
      }
      this.emit(whole, 0, whole.length);
    } else if (end - start > this.maxLineBytes) {
      this.sink.oversized(chunk.toString('utf8', start, start + HEAD_BYTES), end - start);
    } else {
      this.emit(chunk, start, end);
    }
  }

  private emit(bytes: Buffer, start: number, end: number): void {
    this.sink.line(bytes, start, end > start && bytes[end - 1] === 13 ? end - 1 : end);
  }
}
