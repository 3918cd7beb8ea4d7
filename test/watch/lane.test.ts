import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { runWatch } from '../../src/engines/watch/engine.js';
import { generate, LOG_FORMATS, render, renderLog, rng } from './generator.js';

// A large file is parsed on a second thread (src/engines/watch/lane). It must change nothing: the same file
// read on one thread and on two gives the same report, line for line, whatever is in it and wherever the
// chunks it is read in happen to end.
const dir = mkdtempSync(path.join(tmpdir(), 'watch-lane-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bothWays(file: string, config: unknown = {}, chunkBytes?: number) {
  const read = async (threaded: { fromBytes: number; chunkBytes?: number }, threads: number) => {
    const { report, summary } = await runWatch({ inputs: [file], config: resolveWatchConfig(config), threaded });
    const { threads: used, ...stats } = report.stats;
    expect(used).toBe(threads);
    return { findings: report.findings, stats, warnings: report.warnings, summary };
  };
  return { one: await read({ fromBytes: Infinity }, 1), two: await read({ fromBytes: 0, chunkBytes }, 2) };
}

/** Stands for a line of binary garbage (invalid UTF-8, NUL bytes) among the text lines. */
const BINARY = '<binary>';
const GARBAGE = Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x22, 0xc3, 0x28, 0x0d, 0x80, 0x7d]);

/** JSON lines the fast path must read, and the many it must leave to the text parser, mixed with the log. */
function awkwardJson(): Buffer {
  const log = generate({ seed: 21 });
  const random = rng(9);
  const odd = [
    '{"timestamp":"2024-05-01T12:00:01.5Z","event":"auth_failure","username":"esc\\"aped","client_ip":"203.0.113.77"}',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"auth_failure","username":"\\u00e9l\\u00e8ve","client_ip":"203.0.113.77"}',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"auth_failure","username":"ünï","client_ip":"203.0.113.77"}',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"auth_failure","username":"bad\\qescape","client_ip":"203.0.113.77"}',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"auth_failure","username":12345,"client_ip":"203.0.113.77"}',
    '{"timestamp":"2024-05-01T12:00:01Z","level":30,"pid":-12.5e3,"ok":true,"none":null,"event":"auth_failure","username":"num","client_ip":"203.0.113.77"}',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"login","status":401,"username":"st","client_ip":"203.0.113.77"}',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"auth_failure","username":{"nested":1},"user":"flat","client_ip":"203.0.113.77"}',
    '{"timestamp":"2024-05-01 12:00:01,250","event":"auth_failure","username":"pytime","client_ip":"203.0.113.77"}',
    '{"timestamp":"1714564801","event":"auth_failure","username":"epoch","client_ip":"203.0.113.77"}',
    '{"timestamp":"2999-01-01T00:00:00Z","event":"auth_failure","username":"future","client_ip":"203.0.113.77"}',
    '{"event":"auth_failure","username":"untimed","client_ip":"203.0.113.78"}',
    '{ "timestamp" : "2024-05-01T12:00:01Z" , "event" : "auth_failure" , "username" : "spaced" , "client_ip" : "203.0.113.77" }',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"AUTH_FAILURE","username":"upper","client_ip":"203.0.113.77"}',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"auth_failure","username":"","user":"fallback","client_ip":"203.0.113.77"}',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"auth_failure","username":"dup","username":"last","client_ip":"203.0.113.77"}',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"auth_failure","username":"geo","client_ip":"203.0.113.79","lat":48.85,"lon":2.35,"country":"fr"}',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"heartbeat"}',
    '{}',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"auth_failure","username":"cut',
    '{"timestamp":"2024-05-01T12:00:01Z","event":"auth_failure","username":"tab\tinside","client_ip":"203.0.113.77"}',
    '\uFEFF{"timestamp":"2024-05-01T12:00:01Z","event":"auth_failure","username":"bom","client_ip":"203.0.113.77"}',
    'not json at all',
    '',
    '   ',
  ];
  const lines: string[] = [];
  log.events.forEach((e, n) => {
    lines.push(render(e, 'json', n));
    if (random() < 0.05) lines.push(odd[Math.floor(random() * odd.length)]!);
    if (n % 500 === 7) lines.push(`{"event":"auth_failure","pad":"${'x'.repeat(70_000)}"}`);
    if (n % 700 === 9) lines.push(BINARY);
  });
  // CRLF on some lines, and no newline at the end.
  return Buffer.concat(lines.map((line, i) => Buffer.concat([line === BINARY ? GARBAGE : Buffer.from(line), Buffer.from(i === lines.length - 1 ? '' : i % 13 === 0 ? '\r\n' : '\n')])));
}

describe('the parsing thread', () => {
  it.each([undefined, 4096, 997])('reads awkward JSON exactly as one thread does (chunks of %s bytes)', async (chunkBytes) => {
    const file = path.join(dir, 'awkward.jsonl');
    writeFileSync(file, awkwardJson());
    const { one, two } = await bothWays(file, {}, chunkBytes);
    expect(two).toEqual(one);
    // The mix must exercise what the fast path leaves to the text parser, and the attacks must be found.
    expect(Number(one.stats['malformed'])).toBeGreaterThan(0);
    expect(Number(one.stats['oversized'])).toBeGreaterThan(0);
    expect(Number(one.stats['untimed'])).toBeGreaterThan(0);
    expect(Number(one.stats['binary'])).toBeGreaterThan(0);
    expect(new Set(one.findings.map((f) => f.ruleId)).size).toBe(6);
  });

  it.each(LOG_FORMATS)('reads a %s log exactly as one thread does', async (format) => {
    const file = path.join(dir, `log.${format}`);
    writeFileSync(file, renderLog(generate({ seed: 5, shuffle: true }), format));
    const { one, two } = await bothWays(file, {}, 8192);
    expect(two).toEqual(one);
    expect(one.findings.length).toBeGreaterThan(0);
  });

  it('keeps IPs and usernames apart when its string table starts over (135,000 distinct IPs)', async () => {
    const file = path.join(dir, 'many.jsonl');
    const lines = Array.from({ length: 135_000 }, (_, i) => {
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      return `{"timestamp":"2024-05-01T12:${String(Math.floor(i / 3000) % 60).padStart(2, '0')}:00Z","event":"auth_failure","username":"u${i % 7}","client_ip":"${ip}"}`;
    });
    // One IP brute-forces at the end, after the table has started over: its alert must name it.
    for (let k = 0; k < 12; k++) lines.push(`{"timestamp":"2024-05-01T12:59:${String(k).padStart(2, '0')}Z","event":"auth_failure","username":"root","client_ip":"10.0.0.1"}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { one, two } = await bothWays(file, { maxKeys: 200_000 });
    expect(two).toEqual(one);
    expect(one.findings.filter((f) => f.ruleId === 'watch.brute-force').map((f) => f.location.path)).toEqual(['client_ip=10.0.0.1']);
  }, 60_000);

  it('reads a log of lines shorter than the shortest JSON event line as one thread does', async () => {
    // Two lookups per 7 bytes: more than the WebAssembly module has queue room for, were they all queued.
    const file = path.join(dir, 'short.log');
    writeFileSync(file, `${Array.from({ length: 300_000 }, (_, i) => `e=f i=${i % 3}`.slice(0, i % 2 === 0 ? 6 : 7)).join('\n')}\n`);
    const { one, two } = await bothWays(file, { fields: { event: ['e'], ip: ['i'], user: ['u'] }, failureValues: ['f'], format: 'logfmt' });
    // The lines have no time: each run takes its own clock's, so only what does not depend on it compares.
    const keyed = (run: typeof one) => run.findings.map((f) => `${f.ruleId} ${f.location.path} ${String(f.details?.['count'])}`);
    expect(keyed(two)).toEqual(keyed(one));
    expect([two.stats['events'], two.stats['failures']]).toEqual([300_000, 300_000]);
    expect(keyed(one)).toContain('watch.brute-force client_ip=1 50000');
  }, 60_000);

  it('gives the same report when keys are evicted and the string table starts over while runs are open', async () => {
    // 3,000 IPs take turns (5 failures, and for some a success) under a cap of 1,000 keys, so they are evicted
    // and come back; 140,000 distinct usernames make the parsing thread's string table start over mid-way.
    const file = path.join(dir, 'evicted.jsonl');
    const lines = Array.from({ length: 150_000 }, (_, i) => {
      const n = Math.floor(i / 6) % 3000;
      const time = new Date(Date.UTC(2024, 4, 1) + i * 1000).toISOString();
      const event = i % 6 === 5 && n % 20 === 0 ? 'auth_success' : 'auth_failure';
      return `{"timestamp":"${time}","event":"${event}","username":"u${i % 140_000}","client_ip":"10.1.${n >> 8}.${n & 255}"}`;
    });
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { one, two } = await bothWays(file, { maxKeys: 1000 });
    expect(two).toEqual(one);
    expect(Number(one.stats['evictions.success-after-failures'])).toBeGreaterThan(0);
    expect(one.findings.filter((f) => f.ruleId === 'watch.success-after-failures').length).toBeGreaterThan(50);
  }, 60_000);

  it.each([0, 100_000])('reads standard input the same on two threads, fed chunk by chunk (handed over after %s bytes)', async (fromBytes) => {
    const bytes = awkwardJson();
    // Chunks of odd sizes, as a pipe gives them: lines are cut anywhere.
    const chunks = (): Buffer[] => Array.from({ length: Math.ceil(bytes.length / 7919) }, (_, i) => bytes.subarray(i * 7919, (i + 1) * 7919));
    const read = async (threaded: { fromBytes: number }) => {
      const { report, summary } = await runWatch({ inputs: ['-'], config: resolveWatchConfig({}), threaded, stdin: Readable.from(chunks()) });
      const { threads, ...stats } = report.stats;
      return { threads, findings: report.findings, stats, warnings: report.warnings, summary };
    };
    const one = await read({ fromBytes: Infinity });
    const two = await read({ fromBytes });
    expect([one.threads, two.threads]).toEqual([1, 2]);
    expect({ ...two, threads: 1 }).toEqual(one);
    expect(new Set(one.findings.map((f) => f.ruleId)).size).toBe(6);
  });

  it('a short standard input stays on one thread', async () => {
    const { report } = await runWatch({ inputs: ['-'], config: resolveWatchConfig({}), threaded: { fromBytes: 1 << 20 }, stdin: Readable.from([awkwardJson().subarray(0, 50_000)]) });
    expect(report.stats['threads']).toBe(1);
  });

  it('a read that fails on the parsing thread is one clear error', async () => {
    // Linux answers EIO to reading the start of a process's memory file: a real read error on a file that opens.
    await expect(runWatch({ inputs: ['/proc/self/mem'], config: resolveWatchConfig({}), threaded: { fromBytes: 0 } })).rejects.toThrow(/^cannot read \/proc\/self\/mem: /);
  });
});
