import type { ParseResult } from '../event.js';
import { scanFlatJson } from './flat-json.js';
import type { RecordMapper } from './record.js';

/** One JSON object per line (python-json-logger, structlog, pino...). */
export function parseJsonLine(line: string, mapper: RecordMapper): ParseResult {
  if (line.charCodeAt(0) !== 123 /* { */) return 'malformed';
  let record: unknown;
  try {
    record = scanFlatJson(line, mapper.names);
    if (record === 'nested') record = JSON.parse(line);
  } catch {
    return 'malformed';
  }
  if (record === 'malformed' || record === null || typeof record !== 'object' || Array.isArray(record)) return 'malformed';
  return mapper.map(record as Record<string, unknown>);
}
