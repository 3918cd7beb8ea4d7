import { describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { createParsers } from '../../src/engines/watch/parsers/index.js';
import { scanFlatJson } from '../../src/engines/watch/parsers/flat-json.js';
import { RecordMapper } from '../../src/engines/watch/parsers/record.js';
import { mutations } from './generator.js';

// The fast JSON path must never change what a line means: whatever it accepts, it reads exactly as
// JSON.parse does, and whatever JSON.parse refuses, the json parser calls malformed.
const config = resolveWatchConfig({});
const mapper = new RecordMapper(config);
const json = createParsers(config).json;

/** What the json parser must return: JSON.parse, then the field mapping. */
function reference(line: string): unknown {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return 'malformed';
  }
  if (line.charCodeAt(0) !== 123 || record === null || typeof record !== 'object' || Array.isArray(record)) return 'malformed';
  return mapper.map(record as Record<string, unknown>);
}

/** When the scanner accepts a line, its values are JSON.parse's for every wanted key: the keys that differ. */
function scannerDiffers(line: string): string[] {
  const values: unknown[] = mapper.names.map(() => undefined);
  try {
    if (!scanFlatJson(line, mapper.keys, values)) return [];
  } catch {
    return [];
  }
  const record = JSON.parse(line) as Record<string, unknown>;
  return mapper.names.filter((name, i) => !Object.is(values[i], Object.hasOwn(record, name) ? record[name] : undefined));
}

/** The json parser's result and the reference, as comparable text (undefined fields dropped, -0 kept). */
const show = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v));

const BASE = '{"timestamp":"2024-05-01T12:00:00.250Z","level":"WARNING","event":"auth_failure","username":"alice","client_ip":"203.0.113.9","method":"GET","path":"/secure","status":401,"lat":48.85,"lon":2.35,"country":"fr","ok":true,"n":null}';

const TRICKY = [
  BASE,
  '{"event":"auth_failure","username":"al\\"ice","client_ip":"1.2.3.4","timestamp":"2024-05-01T12:00:00Z"}',
  '{"event":"auth_failure","username":"\\u00e9l\\u00e8ve","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":"\\ud83d\\ude00","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":"😀 ünïcode","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":"\\ud800","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":"back\\\\slash\\\\","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":"bad\\qescape","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","user\\u006eame":"escaped-key","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":"first","username":"last","client_ip":"1.2.3.4"}',
  '{"event":"auth_success","event":"auth_failure","username":"dup","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":{"name":"nested"},"user":"flat","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":["a"],"client_ip":"1.2.3.4","extra":{"deep":[1,{"x":"}"}]}}',
  '{"event":"auth_failure","username":12345,"client_ip":"1.2.3.4","status":"401"}',
  '{"event":"auth_failure","username":"u","client_ip":"1.2.3.4","status":401.0,"lat":"48.85","lon":"2.35"}',
  '{"event":"auth_failure","username":"u","client_ip":"1.2.3.4","status":4.01e2,"lat":-0,"lon":1E-2}',
  '{"event":"auth_failure","username":"u","client_ip":"1.2.3.4","status":0401}',
  '{"event":"auth_failure","username":"u","client_ip":"1.2.3.4","status":+401}',
  '{"event":"auth_failure","username":"u","client_ip":"1.2.3.4","status":0x191}',
  '{"event":"auth_failure","username":"u","client_ip":"1.2.3.4","status":Infinity}',
  '{"event":"auth_failure","username":"u","client_ip":"1.2.3.4","status":NaN}',
  '{"event":"auth_failure","username":"u","client_ip":"1.2.3.4","status":1.}',
  '{"event":"auth_failure","username":"u","client_ip":"1.2.3.4","status":-}',
  '{"event":"auth_failure","username":"tab\tinside","client_ip":"1.2.3.4"}',
  '{\t"event":"auth_failure",\t"username":"tab-outside","client_ip":"1.2.3.4"}\r',
  '{"event":"auth_failure","username":"ctl\u0001","client_ip":"1.2.3.4"}',
  '  {"event":"auth_failure","username":"lead","client_ip":"1.2.3.4"}',
  '{ "event" : "auth_failure" , "username" : "spaced" , "client_ip" : "1.2.3.4" }  ',
  '{"event":"auth_failure","username":"u","client_ip":"1.2.3.4"} {"more":1}',
  '{"event":"auth_failure","username":"u","client_ip":"1.2.3.4",}',
  "{'event':'auth_failure','username':'single'}",
  '{"event":"AUTH_FAILURE","username":"upper","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":"","user":"fallback","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":null,"user":"fallback","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":true,"client_ip":false}',
  '{"__proto__":{"username":"proto"},"event":"auth_failure","client_ip":"1.2.3.4"}',
  '{"constructor":"x","event":"auth_failure","username":"c","client_ip":"1.2.3.4"}',
  '{"":"","event":"auth_failure","username":"emptykey","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure"',
  '{"event":"auth_failure","username":"unterminated}',
  '{}',
  '{ }',
  '[]',
  '{"a":1}',
  '\uFEFF{"event":"auth_failure","username":"bom","client_ip":"1.2.3.4"}',
  '{"event":"auth_failure","username":"\uFFFD\uFFFD","client_ip":"1.2.3.4"}',
];

describe('fast JSON path against JSON.parse', () => {
  it.each(TRICKY)('reads %s as JSON.parse does', (line) => {
    expect(json(line)).toStrictEqual(reference(line));
    expect(scannerDiffers(line)).toEqual([]);
  });

  it('agrees with JSON.parse on 20,000 random mutations of a log line', () => {
    const pieces = ['"', '\\', '\\"', '\\u0041', '\\ud83d', '{', '}', '[', ']', ':', ',', ' ', '\t', '0', '-', '1e5', '.', 'e', 'true', 'null', 'é', '😀', '\u0000', '\u007f', '\uFFFD', 'username', '"username":"x"', 'event', 'auth_success'];
    let accepted = 0;
    const wrong: string[] = [];
    for (const line of mutations(BASE, pieces, 20_000, 6)) {
      const expected = reference(line);
      if (expected !== 'malformed') accepted++;
      if (show(json(line)) !== show(expected) || scannerDiffers(line).length > 0) wrong.push(line);
    }
    expect(wrong).toEqual([]);
    // The mutations must exercise both sides: lines JSON.parse reads and lines it refuses.
    expect(accepted).toBeGreaterThan(2_000);
    expect(accepted).toBeLessThan(18_000);
  });
});
