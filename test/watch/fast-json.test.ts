import { describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { FastJson, type FastEvent } from '../../src/engines/watch/lane/fast-json.js';
import { Interner } from '../../src/engines/watch/lane/interner.js';
import { JsonLines } from '../../src/engines/watch/lane/json-lines.js';
import { createParsers } from '../../src/engines/watch/parsers/index.js';
import { RecordMapper } from '../../src/engines/watch/parsers/record.js';
import { disagreements } from './generator.js';

// The parsing thread's fast path reads a line only when it is sure to read it as the text parser does
// (JSON.parse, then the field mapping); otherwise it says so and the text parser reads it.
const config = resolveWatchConfig({});
const text = createParsers(config).json;
const interner = new Interner(new JsonLines(config.maxLineBytes));
const fast = new FastJson(new RecordMapper(config));
const strings: string[] = [];
const blank = (): FastEvent => ({ time: NaN, failure: false, ipStart: 0, ipEnd: 0, userStart: 0, userEnd: 0 });

/** The ids of the IP and username the fast path found in `bytes`. */
function ids(bytes: Buffer, event: FastEvent): { ip: number; user: number } {
  const ip = interner.bytes(bytes, event.ipStart, event.ipEnd);
  const user = interner.bytes(bytes, event.userStart, event.userEnd);
  strings.push(...interner.take().strings);
  return { ip, user };
}

/** The fast path's reading as the text parser's fields, or undefined when it leaves the line alone. */
function read(line: string): unknown {
  // Lines at each offset in a word, in buffers that start on one (read in place) or not (read from a copy).
  const bytes = Buffer.from(`${' '.repeat(line.length % 4)}.\n${line}\n`).subarray(line.length % 2);
  const result = fast.read(bytes, bytes.indexOf(10) + 1, bytes.length - 1, blank());
  if (result === undefined || result === 'ignored') return result;
  const { ip, user } = ids(bytes, result);
  return { time: result.time, failure: result.failure, ip: strings[ip], user: strings[user] };
}

function reference(line: string): unknown {
  const result = text(line);
  if (typeof result === 'string') return result;
  return { time: result.time, failure: result.failure, ip: result.ip, user: result.user };
}

const BASE = '{"timestamp":"2024-05-01T12:00:00.250Z","level":"WARNING","event":"auth_failure","username":"alice","client_ip":"203.0.113.9","method":"GET","path":"/secure","correlation_id":"abc","pid":123,"ok":true,"n":null}';

/** Python's json.dumps puts a space after each colon and comma. */
const PYTHON = '{"timestamp": "2024-05-01T12:00:00.250000+00:00", "event": "auth_failure", "username": "alice", "client_ip": "203.0.113.9", "pid": 123, "ok": true, "n": null}';

describe('the fast JSON path of the parsing thread', () => {
  it('reads the usual auth line itself, and gives one id to the same IP', () => {
    expect(read(BASE)).toEqual(reference(BASE));
    const [one, two] = [Buffer.from(BASE), Buffer.from(`${BASE}  `)];
    const a = fast.read(one, 0, BASE.length, blank());
    const b = fast.read(two, 0, BASE.length, blank());
    if (typeof a !== 'object' || typeof b !== 'object') throw new Error('not read');
    const [idsA, idsB] = [ids(one, a), ids(two, b)];
    expect(idsA.ip === idsB.ip && idsA.user !== idsA.ip).toBe(true);
    expect(read('{"timestamp":"2024-05-01T12:00:00Z","event":"request","path":"/health"}')).toBe('ignored');
    expect(read(PYTHON)).not.toBeUndefined();
    expect(read(PYTHON)).toEqual(reference(PYTHON));
    // A key the last line had at the same place, now with a space or a string after it, is read all the same.
    for (const status of ['401', ' 401', '"401"', ' "401"', '401']) {
      const line = `{"time":"2024-05-01T12:00:00Z","status":${status},"remote_addr":"1.2.3.4"}`;
      expect(read(line)).not.toBeUndefined();
      expect(read(line)).toEqual(reference(line));
    }
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
    '{"event":"auth_failure",  "username":"s","client_ip":"1.2.3.4"}',
    '{"event" :"auth_failure","username":"s","client_ip":"1.2.3.4"}',
    '{"event":"auth_failure","username":"s","client_ip":"1.2.3.4" }',
    '{"event":"auth_failure","username":"s","client_ip":"1.2.3.4"}\t',
  ])('leaves %s to the text parser', (line) => {
    expect(read(line)).toBeUndefined();
  });

  it.each([
    ['an auth line', BASE],
    ['a JSON access log line', '{"time":"2024-05-01T12:00:00.5Z","remote_addr":"203.0.113.9","user":"alice","method":"GET","status":401,"bytes":23,"ua":"curl/8"}'],
    ["a line of Python's json.dumps", PYTHON],
    ["an access log line of Python's json.dumps", '{"time": "2024-05-01T12:00:00.5+00:00", "remote_addr": "203.0.113.9", "user": "alice", "status": 403, "bytes": 23, "ok": false}'],
  ])('agrees with the text parser on 20,000 random mutations of %s', (_name, base) => {
    const pieces = ['"', '\\', '{', '}', '[', ']', ':', ',', ' ', '0', '4', '2', '-', '1e5', '.', 'e', 'true', 'null', 'é', '\u0001', 'username', '"username":"x"', '"user":"y"', 'event', 'auth_success', 'AUTH_FAILURE', 'status', '"status":403', 'Z', '+00:00', 'T'];
    const { wrong, read: fastRead } = disagreements(base, pieces, 17, read, reference);
    expect(wrong).toEqual([]);
    // Both sides must be exercised: lines it reads itself and lines it leaves alone.
    expect(fastRead).toBeGreaterThan(2_000);
    expect(fastRead).toBeLessThan(18_000);
  });
});

describe('the id table of the parsing thread', () => {
  it('gives queued values the ids it gives one at a time, in the same order, past its first room', () => {
    const values = Array.from({ length: 40_000 }, (_, i) => `10.0.${(i * 7919) % 20_000}`);
    const chunk = Buffer.from(values.join(' '));
    const table = new JsonLines(config.maxLineBytes);
    const [queued, direct] = [new Interner(table), new Interner(new JsonLines(config.maxLineBytes))];
    table.load(chunk);
    let at = 0;
    const numbers = values.map((value) => {
      const number = queued.queue(at, at + value.length);
      at += value.length + 1;
      return number;
    });
    const ids = queued.lookUpQueued();
    at = 0;
    const expected = values.map((value) => {
      const id = direct.bytes(chunk, at, at + value.length);
      at += value.length + 1;
      return id;
    });
    expect(numbers.map((number) => ids[number])).toEqual(expected);
    expect(queued.take().strings).toEqual(direct.take().strings);
  });
});
