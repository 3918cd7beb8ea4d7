import { describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { FastJson, type FastEvent } from '../../src/engines/watch/lane/fast-json.js';
import { Interner } from '../../src/engines/watch/lane/interner.js';
import { createParsers } from '../../src/engines/watch/parsers/index.js';
import { RecordMapper } from '../../src/engines/watch/parsers/record.js';
import { mutations } from './generator.js';

// The parsing thread's fast path reads a line only when it is sure to read it as the text parser does
// (JSON.parse, then the field mapping); otherwise it says so and the text parser reads it.
const config = resolveWatchConfig({});
const text = createParsers(config).json;
const interner = new Interner();
const fast = new FastJson(new RecordMapper(config), interner);
const strings: string[] = [];

/** The fast path's reading as the text parser's fields, or undefined when it leaves the line alone. */
function read(line: string): unknown {
  const bytes = Buffer.from(`\n${line}\n`);
  const result = fast.read(bytes, 1, bytes.length - 1, { time: NaN, failure: false, ip: 0, user: 0 } satisfies FastEvent);
  strings.push(...interner.take().strings);
  if (result === undefined || result === 'ignored') return result;
  return { time: result.time, failure: result.failure, ip: strings[result.ip], user: strings[result.user] };
}

function reference(line: string): unknown {
  const result = text(line);
  if (typeof result === 'string') return result;
  return { time: result.time, failure: result.failure, ip: result.ip, user: result.user };
}

const BASE = '{"timestamp":"2024-05-01T12:00:00.250Z","level":"WARNING","event":"auth_failure","username":"alice","client_ip":"203.0.113.9","method":"GET","path":"/secure","correlation_id":"abc","pid":123,"ok":true,"n":null}';

describe('the fast JSON path of the parsing thread', () => {
  it('reads the usual auth line itself, and gives one id to the same IP', () => {
    expect(read(BASE)).toEqual(reference(BASE));
    const a = fast.read(Buffer.from(BASE), 0, BASE.length, { time: 0, failure: false, ip: 0, user: 0 });
    const b = fast.read(Buffer.from(`${BASE}  `), 0, BASE.length, { time: 0, failure: false, ip: 0, user: 0 });
    expect(typeof a === 'object' && typeof b === 'object' && a.ip === b.ip && a.user !== a.ip).toBe(true);
    expect(read('{"timestamp":"2024-05-01T12:00:00Z","event":"request","path":"/health"}')).toBe('ignored');
    // A JSON access log: the outcome from a numeric (or all-digit) status, a 2xx counting only with a user.
    for (const line of [
      '{"time":"2024-05-01T12:00:00Z","status":401,"remote_addr":"1.2.3.4","user":"bob"}',
      '{"time":"2024-05-01T12:00:00Z","status":"403","remote_addr":"1.2.3.4"}',
      '{"time":"2024-05-01T12:00:00Z","status":200,"remote_addr":"1.2.3.4","user":"bob"}',
      '{"time":"2024-05-01T12:00:00Z","status":200,"remote_addr":"1.2.3.4"}',
      '{"time":"2024-05-01T12:00:00Z","status_code":500,"status":"","remote_addr":"1.2.3.4","user":"bob"}',
    ]) {
      expect(read(line)).not.toBeUndefined();
      expect(read(line)).toEqual(reference(line));
    }
  });

  it.each([
    '{"timestamp":"2024-05-01T12:00:00Z","event":"auth_failure","username":"a\\"b","client_ip":"1.2.3.4"}',
    '{"timestamp":"2024-05-01T12:00:00Z","event":"auth_failure","username":"é","client_ip":"1.2.3.4"}',
    '{"timestamp":"2024-05-01T12:00:00Z","event":"auth_failure","username":7,"client_ip":"1.2.3.4"}',
    '{"timestamp":"2024-05-01T12:00:00Z","event":"login","status":-401,"client_ip":"1.2.3.4"}',
    '{"timestamp":"2024-05-01T12:00:00Z","event":"login","status":401.0,"client_ip":"1.2.3.4"}',
    '{"timestamp":"2024-05-01T12:00:00Z","event":"login","status":null,"status_code":401,"client_ip":"1.2.3.4"}',
    '{"timestamp":"2024-05-01T12:00:00Z","event":"login","status":"401 ","client_ip":"1.2.3.4"}',
    '{"timestamp":"2024-05-01 12:00:00,5","event":"auth_failure","username":"p","client_ip":"1.2.3.4"}',
    '{"timestamp":"2024-05-01T12:00:00Z","event":"auth_failure","username":"g","client_ip":"1.2.3.4","country":"fr"}',
    '{ "event":"auth_failure","username":"s","client_ip":"1.2.3.4"}',
  ])('leaves %s to the text parser', (line) => {
    expect(read(line)).toBeUndefined();
  });

  it.each([
    ['an auth line', BASE],
    ['a JSON access log line', '{"time":"2024-05-01T12:00:00.5Z","remote_addr":"203.0.113.9","user":"alice","method":"GET","status":401,"bytes":23,"ua":"curl/8"}'],
  ])('agrees with the text parser on 20,000 random mutations of %s', (_name, base) => {
    const pieces = ['"', '\\', '{', '}', '[', ']', ':', ',', ' ', '0', '4', '2', '-', '1e5', '.', 'e', 'true', 'null', 'é', '\u0001', 'username', '"username":"x"', '"user":"y"', 'event', 'auth_success', 'AUTH_FAILURE', 'status', '"status":403', 'Z', '+00:00', 'T'];
    let fastRead = 0;
    const wrong: string[] = [];
    for (const line of mutations(base, pieces, 20_000, 17)) {
      const mine = read(line);
      if (mine === undefined) continue;
      fastRead++;
      if (JSON.stringify(mine) !== JSON.stringify(reference(line))) wrong.push(line);
    }
    expect(wrong).toEqual([]);
    // Both sides must be exercised: lines it reads itself and lines it leaves alone.
    expect(fastRead).toBeGreaterThan(2_000);
    expect(fastRead).toBeLessThan(18_000);
  });
});
