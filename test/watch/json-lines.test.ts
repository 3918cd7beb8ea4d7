import { describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { FastJson, type FastEvent } from '../../src/engines/watch/lane/fast-json.js';
import { Interner } from '../../src/engines/watch/lane/interner.js';
import { JsonLines } from '../../src/engines/watch/lane/json-lines.js';
import { EVENT, IGNORED } from '../../src/engines/watch/lane/protocol.js';
import { createParsers } from '../../src/engines/watch/parsers/index.js';
import { RecordMapper } from '../../src/engines/watch/parsers/record.js';
import { mutations } from './generator.js';

// The parsing thread's bulk path (WebAssembly) reads the lines that have the shape of the one the fast path
// read last; what it reads must be what the text parser reads, and what it is not sure of it must hand back.
const config = resolveWatchConfig({});
const text = createParsers(config).json;

/** A bulk path as the thread has it: a table, its interner, and the fast path it learns shapes from. */
function lane(maxLineBytes = config.maxLineBytes) {
  const table = new JsonLines(maxLineBytes);
  const interner = new Interner(table);
  const fast = new FastJson(new RecordMapper(config));
  const strings: string[] = [];
  const blank = (): FastEvent => ({ time: NaN, failure: false, ipStart: 0, ipEnd: 0, userStart: 0, userEnd: 0 });
  return {
    table,
    /** The fast path reads `line` (and the bulk path learns from it); whether it did. */
    teach(line: string): boolean {
      const bytes = Buffer.from(line);
      const read = fast.read(bytes, 0, bytes.length, blank()) !== undefined;
      if (read) table.learn(fast);
      return read;
    },
    /** The bulk path's readings of the lines of `chunk` it takes, and where it stopped. */
    bulk(chunk: string): { readings: unknown[]; next: number } {
      const bytes = Buffer.from(chunk);
      table.load(bytes);
      const { next, count, records } = table.run(0, bytes.length);
      const taken = Array.from({ length: count }, (_, r) => ({ kind: records.kinds[r]!, time: records.times[r]!, failure: records.failures[r] === 1, user: records.users[r]!, ip: records.ips[r]!, start: records.starts[r]!, end: records.ends[r]! }));
      const ids = interner.lookUpQueued();
      strings.push(...interner.take().strings);
      const readings = taken.map((r) => {
        expect(chunk.slice(r.start, r.end).endsWith('}')).toBe(true);
        if (r.kind === IGNORED) return 'ignored';
        expect(r.kind).toBe(EVENT);
        return { time: r.time, failure: r.failure, ip: strings[ids[-1 - r.ip]!], user: strings[ids[-1 - r.user]!] };
      });
      return { readings, next };
    },
  };
}

function reference(line: string): unknown {
  const result = text(line);
  if (typeof result === 'string') return result;
  return { time: result.time, failure: result.failure, ip: result.ip, user: result.user };
}

const BASE = '{"timestamp":"2024-05-01T12:00:00.250Z","level":"WARNING","event":"auth_failure","username":"alice","client_ip":"203.0.113.9","method":"GET","path":"/secure","correlation_id":"abc","pid":123,"ok":true,"n":null}';
const SUCCESS = BASE.replace('auth_failure', 'auth_success').replace('WARNING', 'INFO');

describe('the bulk path of the parsing thread', () => {
  it('reads nothing before the fast path has read a line', () => {
    expect(lane().bulk(`${BASE}\n`)).toEqual({ readings: [], next: 0 });
  });

  it('reads the lines of the shape the fast path read, and stops at the first other one', () => {
    const bulk = lane();
    expect(bulk.teach(BASE) && bulk.teach(SUCCESS)).toBe(true);
    const other = '{"timestamp":"2024-05-01T12:00:00Z","event":"auth_failure","username":"bob","client_ip":"1.2.3.4"}';
    const lines = [BASE, SUCCESS.replace('alice', 'bob'), BASE.replace('203.0.113.9', '198.51.100.7').replace('12:00:00.250', '12:00:01.5'), other, BASE];
    const { readings, next } = bulk.bulk(`${lines.join('\n')}\n`);
    expect(readings).toEqual(lines.slice(0, 3).map(reference));
    expect(next).toBe(lines.slice(0, 3).join('\n').length + 1);
  });

  it('takes CRLF line ends, and leaves blank lines, a line without its newline and a line over the cap', () => {
    const bulk = lane(BASE.length + 1);
    bulk.teach(BASE);
    expect(bulk.bulk(`${BASE}\r\n${BASE}\n\n${BASE}\n`).readings).toEqual([reference(BASE), reference(BASE)]);
    expect(bulk.bulk(`${BASE}\n${BASE}`).next).toBe(BASE.length + 1);
    expect(bulk.bulk(`${BASE}\r\n${BASE}  \n`).next).toBe(BASE.length + 2);
    const long = BASE.replace('alice', 'alice!!');
    expect(bulk.bulk(`${BASE}\n${long}\n`).next).toBe(BASE.length + 1);
  });

  it('hands back an event value the fast path has not met', () => {
    const bulk = lane();
    bulk.teach(BASE);
    expect(bulk.bulk(`${BASE}\n${SUCCESS}\n`).readings).toEqual([reference(BASE)]);
    bulk.teach(SUCCESS);
    expect(bulk.bulk(`${SUCCESS}\n`).readings).toEqual([reference(SUCCESS)]);
  });

  it.each([
    ['an auth line', BASE],
    ['a JSON access log line', '{"time":"2024-05-01T12:00:00.5Z","remote_addr":"203.0.113.9","user":"alice","method":"GET","status":401,"bytes":23,"ua":"curl/8"}'],
    ["a line of Python's json.dumps", '{"timestamp": "2024-05-01T12:00:00.250000+00:00", "event": "auth_failure", "username": "alice", "client_ip": "203.0.113.9", "pid": 123, "ok": true, "n": null}'],
    ["an access log line of Python's json.dumps", '{"time": "2024-05-01T12:00:00.5+00:00", "remote_addr": "203.0.113.9", "user": "alice", "status": 403, "bytes": 23, "ok": false}'],
  ])('agrees with the text parser on 50,000 random mutations of %s, learning shapes as the thread does', (_name, base) => {
    const pieces = ['"', '\\', '{', '}', '[', ']', ':', ',', ' ', '0', '4', '2', '-', '1e5', '.', 'e', 'true', 'null', 'é', '\u0001', 'username', '"username":"x"', '"user":"y"', 'event', 'auth_success', 'AUTH_FAILURE', 'status', '"status":403', 'Z', '+00:00', 'T', '\r'];
    const bulk = lane();
    bulk.teach(base);
    let taken = 0;
    let handedBack = 0;
    const wrong: string[] = [];
    for (const line of mutations(base, pieces, 50_000, 23)) {
      if (line.includes('\n')) continue;
      const [reading] = bulk.bulk(`${line}\n`).readings;
      if (reading === undefined) {
        handedBack++;
        // As the thread does: the fast path reads it, and the bulk path takes its shape; every other time the
        // base line comes next, so that most lines meet the base shape, the rest the shapes of mutated lines.
        bulk.teach(line);
        if (handedBack % 2 === 0) bulk.teach(base);
        continue;
      }
      taken++;
      if (JSON.stringify(reading) !== JSON.stringify(reference(line))) wrong.push(line);
    }
    expect(wrong).toEqual([]);
    // Both sides must be exercised: lines it reads itself and lines it hands back.
    expect(taken).toBeGreaterThan(1_500);
    expect(handedBack).toBeGreaterThan(2_000);
  });
});
