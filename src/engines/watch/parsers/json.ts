import type { ParseResult } from '../event.js';
import { scanFlatJson } from './flat-json.js';
import type { RecordMapper } from './record.js';

/** One JSON object per line (python-json-logger, structlog, pino...). */
export function parseJsonLine(line: string, mapper: RecordMapper): ParseResult {
  if (line.charCodeAt(0) !== 123 /* { */) return 'malformed';
  const values = mapper.blank();
  try {
    if (scanFlatJson(line, mapper.keys, values)) return mapper.mapValues(values);
  } catch {
    // An escape the scanner could not read: JSON.parse below decides.
  }
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return 'malformed';
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return 'malformed';
  return mapper.map(record as Record<string, unknown>);
}
