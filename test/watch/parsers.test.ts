import { describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { createParsers, detectFormat } from '../../src/engines/watch/parsers/index.js';
import { KeyTable, scanFlatJson } from '../../src/engines/watch/parsers/flat-json.js';
import { RecordMapper } from '../../src/engines/watch/parsers/record.js';
import { alertLine } from '../../src/engines/watch/sinks/payload.js';
import { printable } from '../../src/engines/watch/summary.js';
import { parseDuration, parseTimestamp } from '../../src/engines/watch/time.js';
import { mutations, rng } from './generator.js';

const parsers = createParsers(resolveWatchConfig({}));
const T = Date.UTC(2024, 4, 1, 12, 0, 0);

describe('watch parsers', () => {
  it.each([
    ['json', '{"timestamp":"2024-05-01T12:00:00Z","event":"auth_failure","username":"alice","client_ip":"203.0.113.9","method":"GET","path":"/secure","correlation_id":"c1"}', { time: T, failure: true, ip: '203.0.113.9', user: 'alice', method: 'GET', path: '/secure' }],
    ['json', '{"ts":1714564800,"msg":"login_failed","user":"bob","ip":"::1","status":401}', { time: T, failure: true, ip: '::1', user: 'bob', status: 401 }],
    ['json', '{"time":1714564800000,"status_code":200,"username":"bob","remote_addr":"10.0.0.1","lat":"48.85","lon":"2.35","country":"fr"}', { time: T, failure: false, user: 'bob', lat: 48.85, lon: 2.35, country: 'FR' }],
    ['logfmt', 'time=2024-05-01T12:00:00Z level=warning event=auth_failure username="alice smith" client_ip=203.0.113.9 msg="bad password"', { time: T, failure: true, user: 'alice smith', ip: '203.0.113.9' }],
    ['python', '2024-05-01 12:00:00,000 WARNING [app.auth] auth_failure username=alice client_ip=203.0.113.9', { time: T, failure: true, user: 'alice', ip: '203.0.113.9' }],
    ['python', "2024-05-01 12:00:00,000 INFO app.auth: auth_success {'event': 'auth_success', 'username': 'o\\'neil', 'client_ip': '10.0.0.1', 'mfa': True}", { time: T, failure: false, user: "o'neil", ip: '10.0.0.1' }],
    ['python', '2024-05-01 12:00:00,000 - WARNING - auth - auth_failure {"username": "carol", "client_ip": "10.0.0.2"}', { time: T, failure: true, user: 'carol', ip: '10.0.0.2' }],
    ['combined', '203.0.113.9 - alice [01/May/2024:14:00:00 +0200] "GET /secure HTTP/1.1" 401 23 "-" "curl/8"', { time: T, failure: true, user: 'alice', ip: '203.0.113.9', status: 401, path: '/secure' }],
    ['combined', '203.0.113.9 - - [01/May/2024:12:00:00 +0000] "POST /login HTTP/1.1" 403 0', { time: T, failure: true, user: '', method: 'POST' }],
    ['combined', '10.0.0.1 - bob%40corp [01/May/2024:12:00:00 +0000] "GET /secure HTTP/2.0" 200 512 "-" "x"', { failure: false, user: 'bob@corp' }],
    ['uvicorn', 'INFO:     203.0.113.9:51234 - "GET /secure HTTP/1.1" 401 Unauthorized', { failure: true, ip: '203.0.113.9', status: 401 }],
    ['uvicorn', '2024-05-01 12:00:00,000 INFO:     ::1:51234 - "GET /secure HTTP/1.1" 403 Forbidden', { time: T, failure: true, ip: '::1' }],
  ] as const)('%s reads %s', (format, line, expected) => {
    expect(parsers[format](line)).toMatchObject(expected);
  });

  it('lines that are not auth events are ignored, junk is malformed', () => {
    expect(parsers.combined('10.0.0.1 - - [01/May/2024:12:00:00 +0000] "GET /health HTTP/1.1" 200 2')).toBe('ignored');
    expect(parsers.combined('10.0.0.1 - - [01/May/2024:12:00:00 +0000] "GET /missing HTTP/1.1" 404 2')).toBe('ignored');
    expect(parsers.uvicorn('INFO:     Started server process [123]')).toBe('ignored');
    expect(parsers.uvicorn('ERROR:    Exception in ASGI application')).toBe('ignored');
    expect(parsers.uvicorn('INFO:app.auth:auth_failure')).toBe('malformed');
    expect(parsers.json('{"event":"request","status":200}')).toBe('ignored');
    expect(parsers.json('{"event":"auth_failure"')).toBe('malformed');
    expect(parsers.json('[1,2]')).toBe('malformed');
    expect(parsers.logfmt('just words here')).toBe('malformed');
    // Keys start after a separator, never inside a word: `user.name` is one key, `xuser` holds none.
    expect(parsers.logfmt('event=auth_failure,user.name=bob {client_ip=1.2.3.4}')).toMatchObject({ user: '', ip: '1.2.3.4}' });
    expect(parsers.logfmt('event=auth_failure xuser=eve user=ann')).toMatchObject({ user: 'ann' });
    expect(parsers.python('not a python line')).toBe('malformed');
  });

  it('uvicorn lines without a time have no time (the engine uses the source clock)', () => {
    const event = parsers.uvicorn('INFO:     203.0.113.9:51234 - "GET /secure HTTP/1.1" 401 Unauthorized');
    expect(typeof event === 'object' && Number.isNaN(event.time)).toBe(true);
  });

  it('detects each format from a few lines', () => {
    expect(detectFormat(['{"event":"auth_failure","client_ip":"1.2.3.4"}'], parsers)).toBe('json');
    expect(detectFormat(['event=auth_failure client_ip=1.2.3.4 username=a'], parsers)).toBe('logfmt');
    expect(detectFormat(['2024-05-01 12:00:00,000 WARNING [app] auth_failure username=a client_ip=1.2.3.4'], parsers)).toBe('python');
    expect(detectFormat(['1.2.3.4 - a [01/May/2024:12:00:00 +0000] "GET / HTTP/1.1" 401 0 "-" "x"'], parsers)).toBe('combined');
    expect(detectFormat(['INFO:     1.2.3.4:5 - "GET / HTTP/1.1" 401 Unauthorized'], parsers)).toBe('uvicorn');
    expect(detectFormat(['\u0000\u0001garbage', 'more garbage'], parsers)).toBeUndefined();
  });

  it('reads times and durations', () => {
    expect(parseTimestamp('2024-05-01T12:00:00.000Z')).toBe(T);
    expect(parseTimestamp('2024-05-01T14:00:00+02:00')).toBe(T);
    expect(parseTimestamp('2024-05-01 12:00:00.5')).toBe(T + 500);
    expect(parseTimestamp('01/May/2024:12:00:00 +0000')).toBe(T);
    expect(parseTimestamp('1714564800.25')).toBe(T + 250);
    expect(parseTimestamp('yesterday')).toBeNaN();
    expect([parseDuration('5m'), parseDuration(300), parseDuration('2h'), parseDuration('soon')]).toEqual([300_000, 300_000, 7_200_000, NaN]);
  });

  it('reads access-log times as Date.parse reads their ISO form, each field in range or out of it', () => {
    // Access logs take a shortcut (the same second is read once); this is the long way round it.
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const viaIso = (d: string, mon: string, y: string, time: string, zone: string) => {
      const m = months.indexOf(mon);
      return m < 0 ? NaN : Date.parse(`${y}-${String(m + 1).padStart(2, '0')}-${d}T${time}${zone.slice(0, 3)}:${zone.slice(3)}`);
    };
    const random = rng(7);
    const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)]!;
    const checked = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const [d, mon, y] = [pick(['01', '09', '28', '30', '31', '00', '32', '1x']), pick([...months, 'may', 'Foo']), pick(['2024', '1999', '0099', '0100', '2x24'])];
      const [hh, mm, ss] = [pick(['00', '12', '23', '24', '99']), pick(['00', '30', '59', '60']), pick(['00', '45', '59', '60'])];
      const zone = pick(['+0000', '-0700', '+0530', '+2359', '+2400', '-0060', '*0000']);
      const value = `${d}/${mon}/${y}:${hh}:${mm}:${ss} ${zone}`;
      checked.add(value);
      // Twice in a row, as a log repeats a second, then on to the next.
      expect([parseTimestamp(value), parseTimestamp(value)]).toEqual(Array(2).fill(viaIso(d, mon, y, `${hh}:${mm}:${ss}`, zone)));
    }
    expect(checked.size).toBeGreaterThan(3000);
    expect(parseTimestamp('10/Oct/2000:13:55:36 -0700')).toBe(Date.UTC(2000, 9, 10, 20, 55, 36));
  });

  it("reads Python logging's times as Date.parse reads their ISO form in UTC, each field in range or out of it", () => {
    const random = rng(11);
    const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)]!;
    for (let i = 0; i < 5000; i++) {
      const date = `${pick(['2024', '1999', '0000'])}-${pick(['01', '02', '12', '13', '00'])}-${pick(['01', '29', '30', '31', '32', '00'])}`;
      const time = `${pick(['00', '23', '24'])}:${pick(['00', '59', '60'])}:${pick(['00', '59', '60'])}`;
      const fraction = pick(['', ',123', '.5', ',999999', ',0', '.05']);
      const ms = fraction === '' ? '000' : fraction.slice(1).padEnd(3, '0').slice(0, 3);
      const value = `${date} ${time}${fraction}`;
      expect([parseTimestamp(value), parseTimestamp(value)]).toEqual(Array(2).fill(Date.parse(`${date}T${time}.${ms}Z`)));
    }
    expect(parseTimestamp('2024-05-01 12:00:00,250')).toBe(T + 250);
  });

  it('rejects a bad watch config with the path of the problem', () => {
    expect(() => resolveWatchConfig({ rules: { 'brute-force': { window: 'soon' } } })).toThrow(/watch\.rules\.brute-force\.window/);
    expect(() => resolveWatchConfig({ nosuch: 1 })).toThrow(/watch\./);
  });
});

describe('flat JSON scanner', () => {
  const keys = new KeyTable(['a', 'b', 'c']);
  /** The wanted values the scanner read, by name, or false when it handed the line on. */
  const scan = (line: string) => {
    const values: unknown[] = [];
    if (!scanFlatJson(line, keys, values)) return false;
    return Object.fromEntries(keys.names.flatMap((name, i) => (values[i] === undefined ? [] : [[name, values[i]]])));
  };
  it.each([
    ['{"a":"x","b":2,"c":true}', { a: 'x', b: 2, c: true }],
    ['{ "a" : "q\\"uo\\\\te" , "z" : null , "b" : -1.5e3 }', { a: 'q"uo\\te', b: -1500 }],
    ['{"a":"\\u00e9"}', { a: 'é' }],
    ['{"a":1,"a":2}', { a: 2 }],
    ['{}', {}],
  ] as const)('reads %s', (line, expected) => {
    expect(scan(line)).toEqual(expected);
  });

  it.each(['{"a":"x"', '{"a":}', '{"a" "x"}', '{"a":"x",}', '{"a":tru}', '{"a":"x"} trailing', '{a:1}', '{"a":01}', '{"a":0x1}'])('refuses %s', (line) => {
    expect(scan(line)).toBe(false);
  });

  it('hands nested values and escaped keys to JSON.parse, through the json parser', () => {
    expect(scan('{"a":{"b":1}}')).toBe(false);
    expect(scan('{"\\u0061":1}')).toBe(false);
    expect(parsers.json('{"event":"auth_failure","user":{"id":1},"username":"x","client_ip":"1.2.3.4","timestamp":"2024-05-01T12:00:00Z"}')).toMatchObject({ user: 'x', time: T });
  });
});

describe('terminal output of attacker-chosen text', () => {
  it('escapes ANSI and C1 controls, DEL and bidi overrides, and keeps a whole alert message', () => {
    const key = 'x\u001b[31m\u009b2J\u007f\u202eevil';
    expect(printable(key)).toBe('x\\u001b[31m\\u009b2J\\u007f\\u202eevil');
    const message = `${'m'.repeat(300)} end`;
    const line = alertLine({ type: 'alert', change: 'new', id: 'i', rule: 'watch.brute-force', severity: 'medium', level: 1, subject: 'ip', key, count: 11, metric: 11, threshold: 10, window: '5m', firstSeen: '', lastSeen: 'T', message, samples: [], details: {} });
    expect(line).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(line).toContain(' end');
  });
});

describe('logfmt and Python extras, read in one pass', () => {
  // The reading these parsers had as regexes and objects (a record without a prototype, so that every key is its
  // own): the one-pass readers must read every line as it did.
  const mapper = new RecordMapper(resolveWatchConfig({}));
  const PAIR = /(?<![\w.@-])([A-Za-z_@][\w.@-]*)=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,]*)/g;
  const pairs = (text: string): Record<string, string> | undefined => {
    const record: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [, key, raw] of text.matchAll(PAIR)) {
      const quoted = raw!.length >= 2 && (raw![0] === '"' || raw![0] === "'") && raw!.at(-1) === raw![0];
      record[key!] = quoted ? raw!.slice(1, -1).replace(/\\(.)/g, '$1') : raw!;
    }
    return Object.keys(record).length > 0 ? record : undefined;
  };
  const mapped = (record: Record<string, unknown>) => mapper.mapValues(mapper.names.map((name) => record[name]));
  const logfmt = (line: string) => {
    const record = pairs(line);
    return !record || Object.keys(record).length < 2 ? 'malformed' : mapped(record);
  };
  const PYTHON_LINE = /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d+)?(?:Z|[+-]\d\d:?\d\d)?)\s+(?:-\s+)?\[?(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\]?\s+(?:-\s+)?(?:\[[\w.]+\]:?\s+|[\w.]+(?::|\s+-)\s+)?(.*)$/;
  const extras = (rest: string): Record<string, unknown> => {
    const brace = rest.indexOf('{');
    if (brace >= 0) {
      const object = rest.slice(brace);
      try {
        return JSON.parse(object) as Record<string, unknown>;
      } catch {
        try {
          const json = object
            .replace(/'((?:[^'\\]|\\.)*)'/g, (_m, v: string) => JSON.stringify(v.replace(/\\'/g, "'")))
            .replace(/\bTrue\b/g, 'true')
            .replace(/\bFalse\b/g, 'false')
            .replace(/\bNone\b/g, 'null');
          return JSON.parse(json) as Record<string, unknown>;
        } catch {
          // key=value pairs below
        }
      }
    }
    return pairs(rest) ?? {};
  };
  const python = (line: string) => {
    const match = PYTHON_LINE.exec(line);
    if (!match) return 'malformed';
    const record: Record<string, unknown> = Object.assign(Object.create(null) as object, extras(match[3]!), { asctime: match[1], levelname: match[2] });
    const message = /^[\w.-]+/.exec(match[3]!)?.[0];
    if (message && record['event'] === undefined) record['event'] = message;
    return mapped(record);
  };
  const parsers = createParsers(resolveWatchConfig({}));
  const pieces = ['=', ' ', '  ', '"', "'", '\\', '\\"', ',', '-', '.', '@', 'username=', 'event=auth_success', 'status=401', 'a=b', 'x="y z"', '\u00a0', '\t', '\r', '\u2028', '\\\r', '\\\u2029', 'é', '{', '}', ':', 'True', 'None', "'event': 'auth_success'", '"event": "auth_failure"', '__proto__=1', 'WARNING', '[x]'];

  it.each([
    ['logfmt', 'logfmt', 'time=2024-05-01T12:00:00.000Z level=warning event=auth_failure username=alice client_ip=203.0.113.9 method=GET msg="bad \\"password\\"" correlation_id=abc'],
    ['logfmt', 'python', '2024-05-01 12:00:00,000 WARNING [app.auth] auth_failure username=alice client_ip=203.0.113.9 path=/secure correlation_id=req-1'],
    ['a dict repr', 'python', "2024-05-01 12:00:00,000 WARNING app.auth: auth_failure {'event': 'auth_failure', 'username': 'o\\'neil', 'client_ip': '10.0.0.1', 'mfa': True, 'n': None}"],
    ['plain dict repr', 'python', "2024-05-01 12:00:00,000 WARNING app.auth: auth_failure {'event': 'auth_failure', 'username': 'alice', 'client_ip': '10.0.0.1', 'path': '/x', 'mfa': True, 'n': None, 'status': 401}"],
    ['JSON', 'python', '2024-05-01 12:00:00,000 INFO app.auth - auth_success {"event": "auth_success", "username": "bob", "client_ip": "10.0.0.2", "status": 200}'],
  ] as const)('agree with the old reading on 20,000 random mutations of a %s line (%s)', (_kind, format, base) => {
    const reference = format === 'logfmt' ? logfmt : python;
    const wrong: string[] = [];
    let events = 0;
    for (const line of mutations(base, pieces, 20_000, 31)) {
      const mine = parsers[format](line);
      if (typeof mine === 'object') events++;
      if (JSON.stringify(mine) !== JSON.stringify(reference(line))) wrong.push(line);
    }
    expect(wrong).toEqual([]);
    // The mutations must leave many lines events, and spoil many.
    expect(events).toBeGreaterThan(4_000);
    expect(events).toBeLessThan(19_500);
  });
});
