import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/core/report-schema.js';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { runWatch } from '../../src/engines/watch/engine.js';
import { runWatchCli } from './cli.js';
import { generate, renderLog } from './generator.js';

const dir = mkdtempSync(path.join(tmpdir(), 'watch-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = generate({ seed: 21 });
writeFileSync(path.join(dir, 'a.combined.log'), renderLog(log, 'combined'));
writeFileSync(path.join(dir, 'b.json.log'), renderLog(generate({ seed: 22, attacks: false }), 'json'));

describe('portcullis watch', () => {
  it('reads a glob, prints a valid JSON report and the forensic summary, and gates on severity', async () => {
    const alerts = path.join(dir, 'alerts.jsonl');
    const { code, stdout, stderr } = await runWatchCli([path.join(dir, '*.log'), '--format', 'json', '--fail-on', 'high', '--alerts-file', alerts]).done;
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { engine: string; findings: { ruleId: string }[]; stats: Record<string, unknown> };
    expect(validateReport(report)).toEqual([]);
    expect(report.engine).toBe('watch');
    expect(String(report.stats['formats'])).toMatch(/a\.combined\.log=combined, .*b\.json\.log=json|b\.json\.log=json, .*a\.combined\.log=combined/);
    expect(new Set(report.findings.map((f) => f.ruleId)).size).toBe(5);
    expect(stderr).toContain('Forensic summary');
    expect(stderr).toContain('gate failed');
    const lines = readFileSync(alerts, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; change: string });
    expect(lines.filter((l) => l.change === 'new')).toHaveLength(report.findings.length);
  });

  it('reads a large JSON log on two threads as built (the bundled parsing thread, its WebAssembly), as one thread reads it', async () => {
    const file = path.join(dir, 'large.json.log');
    writeFileSync(file, renderLog(generate({ seed: 31, hours: 45, users: 400 }), 'json'));
    const { code, stdout } = await runWatchCli([file, '--format', 'json']).done;
    expect(code).toBe(0);
    const two = JSON.parse(stdout) as { findings: { fingerprint: string; details: unknown }[]; stats: Record<string, unknown> };
    // The built CLI splits a log of 8 MiB or more when there is a second core.
    expect(two.stats['threads']).toBe(availableParallelism() >= 2 ? 2 : 1);
    const { report: one } = await runWatch({ inputs: [file], config: resolveWatchConfig({}), threaded: { fromBytes: Infinity } });
    expect(one.findings.length).toBeGreaterThan(5);
    expect(two.findings.map((f) => [f.fingerprint, f.details])).toEqual(one.findings.map((f) => [f.fingerprint, f.details]));
    expect(two.stats['events']).toBe(one.stats['events']);
  });

  it('reads standard input with a forced format and writes the text report', async () => {
    const { code, stdout } = await runWatchCli(['-', '--log-format', 'logfmt', '-q'], { stdin: renderLog(log, 'logfmt') }).done;
    expect(code).toBe(0);
    expect(stdout).toContain('watch.brute-force');
    expect(stdout).toContain('client_ip=203.0.113.10');
  });

  it('exits 2 with one line for a missing file, a bad config, a key cap over its bound and a webhook without its secret', async () => {
    const missing = await runWatchCli([path.join(dir, 'nope.log')]).done;
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.log/);

    const config = path.join(dir, 'bad.yml');
    writeFileSync(config, 'watch:\n  rules:\n    brute-force:\n      threshold: -1\n');
    const bad = await runWatchCli([path.join(dir, 'b.json.log'), '-c', config]).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/config watch\.rules\.brute-force\.threshold/);

    // The flag is held to the config's bound: detection sizes its key tables by it.
    const keys = await runWatchCli([path.join(dir, 'b.json.log'), '--max-keys', '20000000']).done;
    expect([keys.code, keys.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(keys.stderr).toMatch(/config watch\.maxKeys: .*10000000/);

    const hook = await runWatchCli([path.join(dir, 'b.json.log'), '--webhook', 'http://127.0.0.1:9/x'], { env: { PORTCULLIS_WEBHOOK_SECRET: '' } }).done;
    expect(hook.code).toBe(2);
    expect(hook.stderr).toMatch(/PORTCULLIS_WEBHOOK_SECRET/);

    // A token in the webhook's path is never echoed; a URL that is not http(s) is refused up front.
    const tokened = await runWatchCli([path.join(dir, 'b.json.log'), '--webhook', 'https://hooks.example/T0/B0/s3cr3tT0ken'], { env: { PORTCULLIS_WEBHOOK_SECRET: '' } }).done;
    expect(tokened.code).toBe(2);
    expect(tokened.stderr).toContain('https://hooks.example');
    expect(tokened.stderr).not.toContain('s3cr3tT0ken');
    const ftp = await runWatchCli([path.join(dir, 'b.json.log'), '--webhook', 'ftp://hooks.example/x']).done;
    expect([ftp.code, ftp.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(ftp.stderr).toContain('not an http(s) URL');
  });
});
