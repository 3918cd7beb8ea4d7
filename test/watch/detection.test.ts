import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/core/report-schema.js';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { runWatch } from '../../src/engines/watch/engine.js';
import { KeySpace } from '../../src/engines/watch/keys.js';
import { ForensicSummary } from '../../src/engines/watch/summary.js';
import { expectedFor, generate, LOG_FORMATS, renderLog, rng } from './generator.js';

const dir = mkdtempSync(path.join(tmpdir(), 'watch-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const found = (findings: { ruleId: string; details?: Record<string, unknown>; fingerprint: string; location: { path?: string } }[]) =>
  findings.map((f) => `${f.ruleId} ${f.location.path}`).sort();
const wanted = (list: { ruleId: string; key: string }[]) =>
  list.map((e) => `${e.ruleId} ${e.ruleId === 'watch.credential-stuffing' ? 'all accounts' : `${/^\d/.test(e.key) ? 'client_ip' : 'username'}=${e.key}`}`).sort();

describe('watch on generated logs', () => {
  const attacked = generate({ seed: 7 });
  const benign = generate({ seed: 7, attacks: false });

  it.each(LOG_FORMATS)('finds every injected attack with the right rule and key, and nothing else: %s', async (format) => {
    const file = path.join(dir, `attacked.${format}.log`);
    writeFileSync(file, renderLog(attacked, format));
    const { report } = await runWatch({ inputs: [file], config: resolveWatchConfig({}) });
    expect(validateReport(JSON.parse(JSON.stringify(report)))).toEqual([]);
    expect(report.stats['formats']).toBe(`${file}=${format}`);
    expect(report.stats['malformed']).toBe(0);
    expect(found(report.findings)).toEqual(wanted(expectedFor(attacked, format)));
    for (const f of report.findings) expect(f.evidence, f.ruleId).toBeTruthy();
  });

  it.each(LOG_FORMATS)('raises nothing on benign traffic only: %s', async (format) => {
    const file = path.join(dir, `benign.${format}.log`);
    writeFileSync(file, renderLog(benign, format));
    const { report } = await runWatch({ inputs: [file], config: resolveWatchConfig({}) });
    // uvicorn logs no user, so only its failures are auth events.
    expect(Number(report.stats['events'])).toBeGreaterThan(format === 'uvicorn' ? 10 : 500);
    expect(report.findings).toEqual([]);
    expect(report.grade).toBe('A');
  });

  it('is deterministic: the same seed gives the same log', () => {
    expect(renderLog(generate({ seed: 3 }), 'json')).toBe(renderLog(generate({ seed: 3 }), 'json'));
    expect(renderLog(generate({ seed: 3 }), 'json')).not.toBe(renderLog(generate({ seed: 4 }), 'json'));
  });

  it('the format can be forced, and the field names mapped in the config', async () => {
    const file = path.join(dir, 'renamed.json.log');
    const text = renderLog(attacked, 'json').replaceAll('"client_ip"', '"peer"').replaceAll('"username"', '"who"');
    writeFileSync(file, text);
    const config = resolveWatchConfig({ format: 'json', fields: { ip: ['peer'], user: ['who'] } });
    const { report } = await runWatch({ inputs: [file], config });
    expect(found(report.findings)).toEqual(wanted(expectedFor(attacked, 'json')));
  });

  it('a forensic summary names the top IPs and usernames and counts failures over time', async () => {
    const file = path.join(dir, 'summary.json.log');
    writeFileSync(file, renderLog(attacked, 'json'));
    const { report, summary } = await runWatch({ inputs: [file], config: resolveWatchConfig({}) });
    expect(String(report.stats['summary.topIps'])).toMatch(/^203\.0\.113\.10 \(40\)/);
    expect(String(report.stats['summary.topUsernames'])).toMatch(/^admin \(40\), administrator \(15\)/);
    const buckets = String(report.stats['summary.failuresOverTime']).split(' ').map((b) => Number(b.split('=')[1]));
    expect(buckets.reduce((a, b) => a + b, 0)).toBe(report.stats['failures']);
    expect(summary).toContain('Top client IPs by failures');
  });

  it('the top tables are the largest counts, ties by key, as a full sort would give', () => {
    const random = rng(3);
    const keys = { ip: new KeySpace(100_000), user: new KeySpace(100_000) };
    const summary = new ForensicSummary(keys);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const ip = `10.0.${Math.floor(random() * 40)}.${Math.floor(random() * 20)}`;
      counts.set(ip, (counts.get(ip) ?? 0) + 1);
      summary.add({ time: i, failure: true, ip, user: 'u', source: 's', line: i, raw: '', ipSlot: keys.ip.resolve(ip, true), userSlot: keys.user.resolve('u', true) });
    }
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    expect(summary.topIps()).toEqual(sorted.slice(0, 10));
    expect(summary.topUsers()).toEqual([['u', 20_000]]);
    // Asked again after more events, the tables are counted again, not given as they were.
    for (let i = 0; i < 3; i++) summary.add({ time: i, failure: true, ip: 'late', user: 'v', source: 's', line: i, raw: '', ipSlot: keys.ip.resolve('late', true), userSlot: keys.user.resolve('v', true) });
    expect(summary.topUsers()).toEqual([['u', 20_000], ['v', 3]]);
  });
});
