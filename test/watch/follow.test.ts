import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { runWatch } from '../../src/engines/watch/engine.js';
import type { AlertPayload } from '../../src/engines/watch/sinks/payload.js';
import { runWatchCli } from './cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'watch-follow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 12 failures from `ip` a few seconds apart: one brute-force alert. */
function attack(ip: string, minute: number): string {
  return Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({ timestamp: new Date(Date.UTC(2024, 4, 1, 12, minute, i * 3)).toISOString(), event: 'auth_failure', username: 'admin', client_ip: ip }),
  ).join('\n') + '\n';
}

/** Polls until the condition holds; the test's own timeout is the only clock. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(20);
}

describe('watch --follow', () => {
  it('streams alerts as they fire and survives rotation and truncation', async () => {
    const file = path.join(dir, 'app.log');
    writeFileSync(file, attack('203.0.113.1', 0));
    const seen: AlertPayload[] = [];
    const stop = new AbortController();
    const keys = () => seen.filter((p) => p.change === 'new').map((p) => p.key);
    const run = runWatch({
      inputs: [file], config: resolveWatchConfig({}), follow: true, signal: stop.signal, pollMs: 20,
      sinks: [{ emit: (p) => seen.push(p), close: async () => undefined }],
    });

    await until(() => keys().includes('203.0.113.1'));
    // A line written in two pieces is read as one.
    const second = attack('203.0.113.2', 5);
    appendFileSync(file, second.slice(0, 100));
    await sleep(60);
    appendFileSync(file, second.slice(100));
    await until(() => keys().includes('203.0.113.2'));

    renameSync(file, `${file}.1`);
    writeFileSync(file, attack('203.0.113.3', 10));
    await until(() => keys().includes('203.0.113.3'));

    // copytruncate: the file shrinks in place. Padding first keeps the new content shorter than what was read,
    // which is how a poller can tell (tail -F has the same limit).
    appendFileSync(file, attack('10.0.0.1', 11).replaceAll('auth_failure', 'auth_success').replaceAll('"admin"', '"carol"').repeat(3));
    await sleep(100);
    truncateSync(file, 0);
    appendFileSync(file, attack('203.0.113.5', 20));
    await until(() => keys().includes('203.0.113.5'));

    stop.abort();
    const { report } = await run;
    expect(keys()).toEqual(['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.5']);
    expect(report.stats['rotations']).toBe(1);
    expect(report.stats['truncations']).toBe(1);
    expect(report.stats['malformed']).toBe(0);
    expect(report.findings.map((f) => f.location.path).sort()).toEqual(['client_ip=203.0.113.1', 'client_ip=203.0.113.2', 'client_ip=203.0.113.3', 'client_ip=203.0.113.5']);
  });

  it('following standard input alone ends when it ends, as tail -f does on a pipe', async () => {
    const seen: AlertPayload[] = [];
    const { report } = await runWatch({
      inputs: ['-'], config: resolveWatchConfig({}), follow: true, stdin: Readable.from([attack('203.0.113.7', 0)]),
      sinks: [{ emit: (p) => seen.push(p), close: async () => undefined }],
    });
    expect(seen.map((p) => `${p.change}:${p.key}`)).toEqual(['new:203.0.113.7']);
    expect(report.findings.map((f) => f.location.path)).toEqual(['client_ip=203.0.113.7']);
  });

  it('the CLI streams alerts in --follow mode and writes its report on SIGINT', async () => {
    const file = path.join(dir, 'cli.log');
    writeFileSync(file, '');
    const run = runWatchCli([file, '--follow', '--alerts', 'json', '--format', 'json']);
    appendFileSync(file, attack('203.0.113.9', 0));
    await run.waitFor('"change":"new"');
    run.child.kill('SIGINT');
    const { code, stdout } = await run.done;
    expect(code).toBe(0);
    const [alertLine, ...rest] = stdout.split('\n');
    expect(JSON.parse(alertLine!)).toMatchObject({ type: 'alert', rule: 'watch.brute-force', key: '203.0.113.9', count: 11 });
    expect(JSON.parse(rest.join('\n'))).toMatchObject({ engine: 'watch', findings: [{ ruleId: 'watch.brute-force' }] });
  });
});
