import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { runWatch } from '../../src/engines/watch/engine.js';
import { generate, render, rng } from './generator.js';
import { detect, SEC, series, T0 } from './harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'watch-robust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A generated JSON log with junk spliced in: truncated JSON, binary bytes, a 1 MiB line, an empty object. */
function hostileLog(): { bytes: Buffer; junk: { malformed: number; binary: number; oversized: number } } {
  const log = generate({ seed: 11 });
  const random = rng(5);
  const parts: Buffer[] = [];
  const junk = { malformed: 0, binary: 0, oversized: 0 };
  log.events.forEach((e, n) => {
    parts.push(Buffer.from(`${render(e, 'json', n)}\n`));
    if (n % 150 === 10) {
      parts.push(Buffer.from(`${render(e, 'json', n).slice(0, 40)}\n`));
      junk.malformed++;
    }
    if (n % 200 === 20) {
      parts.push(Buffer.from(Array.from({ length: 300 }, () => Math.floor(random() * 256)).filter((b) => b !== 10)), Buffer.from([0, 0xff, 0xfe, 10]));
      junk.malformed++;
      junk.binary++;
    }
    if (n === 300) {
      parts.push(Buffer.from(`{"event":"auth_failure","pad":"${'A'.repeat(1 << 20)}"}\n`));
      junk.oversized++;
    }
  });
  return { bytes: Buffer.concat(parts), junk };
}

describe('watch on hostile input', () => {
  it('counts and skips malformed lines, binary garbage and enormous lines with a sample, and still finds the attacks', async () => {
    const { bytes, junk } = hostileLog();
    const file = path.join(dir, 'hostile.log');
    writeFileSync(file, bytes);
    const { report } = await runWatch({ inputs: [file], config: resolveWatchConfig({}) });
    expect(report.stats['malformed']).toBe(junk.malformed);
    expect(report.stats['binary']).toBe(junk.binary);
    expect(report.stats['oversized']).toBe(junk.oversized);
    expect(report.stats['formats']).toBe(`${file}=json`);
    const warning = report.warnings.find((w) => w.includes('lines skipped'))!;
    expect(warning).toContain(`${file}:`);
    expect(warning).toMatch(/binary data|unreadable line|over the 65536-byte cap/);
    expect(warning.length).toBeLessThan(2000);
    expect(new Set(report.findings.map((f) => f.ruleId)).size).toBe(6);
  });

  it('reads standard input, and a source that is all garbage is reported, not fatal', async () => {
    const log = generate({ seed: 11 });
    const text = log.events.map((e, n) => render(e, 'logfmt', n)).join('\n');
    const { report } = await runWatch({ inputs: ['-'], config: resolveWatchConfig({}), stdin: Readable.from([Buffer.from(text)]) });
    expect(report.stats['formats']).toBe('<stdin>=logfmt');
    expect(report.findings.length).toBeGreaterThan(0);

    const garbage = Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 251));
    const bad = await runWatch({ inputs: ['-'], config: resolveWatchConfig({}), stdin: Readable.from([garbage]) });
    expect(bad.report.findings).toEqual([]);
    expect(Number(bad.report.stats['malformed'])).toBeGreaterThan(0);
    expect(bad.report.warnings.join(' ')).toContain('no known log format');
  });

  it('numbers lines from the top, blank lines included, while the format is still being detected', async () => {
    const good = JSON.stringify({ timestamp: '2024-05-01T12:00:00Z', event: 'auth_failure', username: 'a', client_ip: '10.0.0.1' });
    const text = ['', good, '{"cut', '', '', good].join('\n');
    const { report } = await runWatch({ inputs: ['-'], config: resolveWatchConfig({}), stdin: Readable.from([text]) });
    expect(report.warnings.join(' ')).toContain('<stdin>:3: unreadable line');
  });

  it('events far behind the newest time are counted as late and left out', async () => {
    const lines = [
      JSON.stringify({ timestamp: '2024-05-01T13:00:00Z', event: 'auth_success', username: 'a', client_ip: '10.0.0.1' }),
      ...Array.from({ length: 20 }, () => JSON.stringify({ timestamp: '2024-05-01T12:00:00Z', event: 'auth_failure', username: 'a', client_ip: '10.0.0.9' })),
    ];
    const { report } = await runWatch({ inputs: ['-'], config: resolveWatchConfig({}), stdin: Readable.from([lines.join('\n')]) });
    expect(report.stats['late']).toBe(20);
    expect(report.findings).toEqual([]);
  });

  it('caps tracked keys: 50,000 distinct IPs and usernames with a cap of 1,000 keep at most 1,000 of each', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) =>
      JSON.stringify({ timestamp: new Date(Date.UTC(2024, 4, 1) + i * 10).toISOString(), event: 'auth_failure', username: `u${i}`, client_ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }),
    );
    const config = resolveWatchConfig({ maxKeys: 1000 });
    const { report } = await runWatch({ inputs: ['-'], config, stdin: Readable.from([lines.join('\n')]) });
    expect(report.stats['events']).toBe(50_000);
    expect(Number(report.stats['trackedKeys'])).toBeLessThanOrEqual(6 * 2 * 1000);
    expect(Number(report.stats['evictions'])).toBeGreaterThan(0);
    expect(report.warnings.join(' ')).toContain('key evictions at the cap of 1000 client IPs and 1000 usernames tracked (brute-force ');
    // Per rule, and adding up to the total.
    const perRule = Object.entries(report.stats).filter(([k]) => k.startsWith('evictions.'));
    expect(perRule.map(([k]) => k)).toContain('evictions.brute-force');
    expect(perRule.reduce((sum, [, n]) => sum + Number(n), 0)).toBe(report.stats['evictions']);
  });

  it('caps open alerts per rule: a flood of attacking IPs closes the oldest early, and it is counted', () => {
    const events = Array.from({ length: 30 }, (_, k) => series(11, T0 + k * SEC, 100, () => ({ ip: `203.0.113.${k}`, user: 'admin' }))).flat();
    const { alerts, changes } = detect(events.sort((a, b) => a.time - b.time), { maxAlerts: 5 });
    const brute = alerts.filter((a) => a.ruleId === 'watch.brute-force');
    // 5 still open and 5 kept closed; the other 20 were announced as they fired and left out of the report.
    expect(brute).toHaveLength(10);
    expect(changes.filter((c) => c.id.startsWith('watch.brute-force/') && c.change === 'new')).toHaveLength(30);
  });

  it('untimed lines (uvicorn) take the time they are read when following, and are flagged otherwise', async () => {
    const lines = (ip: string, n: number) => Array.from({ length: n }, (_, i) => `INFO:     ${ip}:${50000 + i} - "GET /secure HTTP/1.1" 401 Unauthorized\n`).join('');
    const { report } = await runWatch({ inputs: ['-'], config: resolveWatchConfig({}), stdin: Readable.from([lines('203.0.113.77', 11)]) });
    expect(report.stats['untimed']).toBe(11);
    expect(report.warnings.join(' ')).toContain('11 events had no time in the log');

    // Following, with a 1 s window: 6 + 6 failures read 1.5 s apart are not 11 within the window; 11 at once are.
    const stop = new AbortController();
    const stream = new Readable({ read() {} });
    const keys: string[] = [];
    const run = runWatch({
      inputs: ['-'], config: resolveWatchConfig({ rules: { 'brute-force': { window: 1 } } }), follow: true, signal: stop.signal, stdin: stream,
      sinks: [{ emit: (p) => void (p.rule === 'watch.brute-force' && keys.push(p.key)), close: async () => undefined }],
    });
    stream.push(lines('203.0.113.77', 6));
    // Read (and so timed) before the pause starts.
    while (stream.readableLength > 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 1500));
    stream.push(lines('203.0.113.77', 6) + lines('203.0.113.78', 11));
    while (keys.length === 0) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    stream.push(null);
    await run;
    expect(keys).toEqual(['203.0.113.78']);
  });

  it('a password the app wrongly logged never reaches an alert sample, nor a bad-line sample', async () => {
    const lines = [
      ...Array.from({ length: 11 }, (_, i) =>
        JSON.stringify({ timestamp: `2024-05-01T12:00:${String(i).padStart(2, '0')}Z`, event: 'auth_failure', username: 'admin', client_ip: '203.0.113.4', password: `hunter${i}` }),
      ),
      '2024-05-01 12:01:00,000 WARNING [app.auth] auth_failure username=admin client_ip=203.0.113.4 password=hunter99',
      '{"broken": "password": "hunter77"',
    ];
    const seen: string[] = [];
    const { report } = await runWatch({
      inputs: ['-'], config: resolveWatchConfig({}), stdin: Readable.from([lines.join('\n')]),
      sinks: [{ emit: (p) => void seen.push(JSON.stringify(p)), close: async () => undefined }],
    });
    expect(report.findings.map((f) => f.ruleId)).toEqual(['watch.brute-force']);
    expect(report.findings[0]!.evidence).toContain('"password":"[REDACTED]"');
    expect(report.warnings.join(' ')).toContain('unreadable line');
    expect(JSON.stringify(report) + seen.join('')).not.toMatch(/hunter\d/);
  });

  it('a time far in the future is junk, not the newest time: it would make every later event late', async () => {
    const fail = (ts: string) => JSON.stringify({ timestamp: ts, event: 'auth_failure', username: 'admin', client_ip: '203.0.113.6' });
    const lines = [fail('2999-01-01T00:00:00Z'), ...Array.from({ length: 11 }, (_, i) => fail(`2024-05-01T12:00:${String(i).padStart(2, '0')}Z`))];
    const { report } = await runWatch({ inputs: ['-'], config: resolveWatchConfig({}), stdin: Readable.from([lines.join('\n')]) });
    expect([report.stats['malformed'], report.stats['late']]).toEqual([1, 0]);
    expect(report.warnings.join(' ')).toContain('time more than a day ahead of the clock');
    expect(report.findings.map((f) => f.location.path)).toEqual(['client_ip=203.0.113.6']);
  });
});
