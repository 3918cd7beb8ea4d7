import type { ParseResult } from '../event.js';
import type { RecordMapper } from './record.js';

/** One JSON object per line (python-json-logger, structlog, pino...). */
export function parseJsonLine(line: string, mapper: RecordMapper): ParseResult {
  if (line.charCodeAt(0) !== 123 /* { */) return 'malformed';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'malformed';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'malformed';
  return mapper.map(value as Record<string, unknown>);
}
