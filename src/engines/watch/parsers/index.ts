import type { FormatName, WatchConfig } from '../config.js';
import type { ParseResult } from '../event.js';
import { parseCombinedLine, parseUvicornLine } from './access.js';
import { parseJsonLine } from './json.js';
import { parseLogfmtLine } from './logfmt.js';
import { parsePythonLine } from './python.js';
import { RecordMapper } from './record.js';

export type LineParser = (line: string) => ParseResult;
export type ConcreteFormat = Exclude<FormatName, 'auto'>;

/** Most specific first: detection breaks ties in this order. */
export const CONCRETE_FORMATS: readonly ConcreteFormat[] = ['json', 'combined', 'uvicorn', 'python', 'logfmt'];

export function createParsers(config: Pick<WatchConfig, 'fields' | 'failureValues' | 'successValues'>): Record<ConcreteFormat, LineParser> {
  const mapper = new RecordMapper(config);
  return {
    json: (line) => parseJsonLine(line, mapper),
    logfmt: (line) => parseLogfmtLine(line, mapper),
    python: (line) => parsePythonLine(line, mapper),
    combined: parseCombinedLine,
    uvicorn: parseUvicornLine,
  };
}

/**
 * Picks the format that reads the most of a source's first lines (auth events count double, so a format
 * that only recognises the shape loses to one that finds events). Undefined when none reads any.
 */
export function detectFormat(lines: readonly string[], parsers: Record<ConcreteFormat, LineParser>): ConcreteFormat | undefined {
  let best: ConcreteFormat | undefined;
  let bestScore = 0;
  for (const format of CONCRETE_FORMATS) {
    let score = 0;
    for (const line of lines) {
      const result = parsers[format](line);
      if (result === 'ignored') score += 1;
      else if (result !== 'malformed') score += 2;
    }
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  return best;
}
