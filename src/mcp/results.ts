import type { Report } from '../core/report.js';

export interface StoredResult {
  id: string;
  engine: Report['engine'];
  target: string;
  at: string;
  report: Report;
}

/** Reports of this server session, newest last, bounded so a long session cannot grow without end. */
export class ResultStore {
  private readonly results: StoredResult[] = [];
  private next = 1;

  constructor(private readonly limit = 50) {}

  add(report: Report): StoredResult {
    const stored: StoredResult = { id: `r${this.next++}`, engine: report.engine, target: report.target, at: report.startedAt, report };
    this.results.push(stored);
    if (this.results.length > this.limit) this.results.shift();
    return stored;
  }

  get(id: string): StoredResult | undefined {
    return this.results.find((r) => r.id === id);
  }

  list(): readonly StoredResult[] {
    return this.results;
  }
}
