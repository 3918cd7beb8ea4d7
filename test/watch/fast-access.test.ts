import { describe, expect, it } from 'vitest';
import { readAccessLine } from '../../src/engines/watch/lane/fast-access.js';
import type { FastEvent } from '../../src/engines/watch/lane/fast-json.js';
import { Interner } from '../../src/engines/watch/lane/interner.js';
import { JsonLines } from '../../src/engines/watch/lane/json-lines.js';
import { parseCombinedLine } from '../../src/engines/watch/parsers/access.js';
import { disagreements } from './generator.js';

// The parsing thread reads plain access lines from their bytes only when it is sure to read them as the text
// parser does (the combined-log regex); otherwise it says so and the text parser reads them.
const interner = new Interner(new JsonLines(8192));
const strings: string[] = [];
const blank = (): FastEvent => ({ time: NaN, failure: false, ipStart: 0, ipEnd: 0, userStart: 0, userEnd: 0 });

/** The fast path's reading as the text parser's fields, or undefined when it leaves the line alone. */
function read(line: string): unknown {
  const bytes = Buffer.from(`.\n${line}\n`);
  const result = readAccessLine(bytes, 2, bytes.length - 1, blank());
  if (result === undefined || result === 'ignored') return result;
  const ip = interner.bytes(bytes, result.ipStart, result.ipEnd);
  const user = interner.bytes(bytes, result.userStart, result.userEnd);
  strings.push(...interner.take().strings);
  return { time: result.time, failure: result.failure, ip: strings[ip], user: strings[user] };
}

function reference(line: string): unknown {
  const result = parseCombinedLine(line);
  if (typeof result === 'string') return result;
  return { time: result.time, failure: result.failure, ip: result.ip, user: result.user };
}

const BASE = '203.0.113.9 - alice [01/May/2024:12:00:00 +0000] "GET /secure HTTP/1.1" 401 23 "-" "curl/8.5"';

describe('the fast access-log path of the parsing thread', () => {
  it('reads the usual lines itself: failures, successes with a user, the rest ignored', () => {
    for (const line of [
      BASE,
      '203.0.113.9 - - [01/May/2024:12:00:00 -0700] "POST /login HTTP/2.0" 403 0 "-" "-"',
      '10.0.0.1 - bob [31/Dec/2023:23:59:59 +0530] "GET /api/items?page=2 HTTP/1.1" 200 512 "https://x/" "Mozilla/5.0"',
      '::1 - bob [01/May/2024:12:00:00 +0000] "GET /health HTTP/1.1" 200 2',
    ]) {
      expect(read(line)).toMatchObject({ failure: expect.any(Boolean) });
      expect(read(line)).toEqual(reference(line));
    }
    for (const line of ['10.0.0.1 - - [01/May/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "-"', '10.0.0.1 - bob [01/May/2024:12:00:00 +0000] "GET / HTTP/1.1" 500 5 "-" "-"']) {
      expect(read(line)).toBe('ignored');
      expect(reference(line)).toBe('ignored');
    }
  });

  it.each([
    '203.0.113.9 - al%20ice [01/May/2024:12:00:00 +0000] "GET /secure HTTP/1.1" 401 23',
    '203.0.113.9 - "alice" [01/May/2024:12:00:00 +0000] "GET /secure HTTP/1.1" 401 23',
    '203.0.113.9 - élise [01/May/2024:12:00:00 +0000] "GET /secure HTTP/1.1" 401 23',
    '203.0.113.9 - alice [2024-05-01T12:00:00Z] "GET /secure HTTP/1.1" 401 23',
    '203.0.113.9 - alice [01/May/2024:24:00:00 +0000] "GET /secure HTTP/1.1" 401 23',
    '203.0.113.9 - alice [01/May/2024:12:00:00 +0000] "GET /a"b HTTP/1.1" 401 23',
    '203.0.113.9 - alice [01/May/2024:12:00:00 +0000] "GET /secure" 401 23',
    '203.0.113.9 - alice [01/May/2024:1]:00:00 +0000] "GET /secure HTTP/1.1" 401 23',
    '203.0.113.9 - alice [01/May/2024:12:00:00 +0000] "GET /a\u00a0b HTTP/1.1" 401 23',
    '203.0.113.9  - alice [01/May/2024:12:00:00 +0000] "GET /secure HTTP/1.1" 401 23',
    '203.0.113.9\t- alice [01/May/2024:12:00:00 +0000] "GET /secure HTTP/1.1" 401 23',
  ])('leaves %s to the text parser', (line) => {
    expect(read(line)).toBeUndefined();
  });

  it.each([
    ['a failure', BASE],
    ['a success', '10.0.0.1 - bob [31/Dec/2023:23:59:59 -0700] "POST /login HTTP/1.1" 204 0 "-" "python-requests/2.31"'],
    ['a common-log line', '10.0.0.1 - - [01/May/2024:12:00:00 +0000] "GET /x HTTP/1.0" 403 9'],
  ])('agrees with the text parser on 20,000 random mutations of %s', (_name, base) => {
    const pieces = ['"', ' ', '\t', '-', '[', ']', '/', ':', '%', '%41', '+', '0', '1', '2', '4', '9', '401', '200', 'é', '\u00a0', '\u0001', 'GET', 'get', 'May', 'Foo', 'HTTP/1.1', ' "x"', '" 401 ', '[01/May/2024:12:00:00 +0000]'];
    const { wrong, read: fastRead } = disagreements(base, pieces, 23, read, reference);
    expect(wrong).toEqual([]);
    // Both sides must be exercised: lines it reads itself and lines it leaves alone.
    expect(fastRead).toBeGreaterThan(2_000);
    expect(fastRead).toBeLessThan(18_000);
  });
});
