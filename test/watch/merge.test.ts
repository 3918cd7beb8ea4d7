import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { runWatch } from '../../src/engines/watch/engine.js';
import type { AlertPayload } from '../../src/engines/watch/sinks/payload.js';
import { expectedFor, generate, render } from './generator.js';

const dir = mkdtempSync(path.join(tmpdir(), 'watch-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const log = generate({ seed: 13 });
const wanted = expectedFor(log, 'json').map((e) => `${e.ruleId} ${e.key}`).sort();
const found = (findings: { ruleId: string; details?: Record<string, unknown>; location: { path?: string } }[]) =>
  findings.map((f) => `${f.ruleId} ${String(f.location.path).replace(/^(client_ip|username)=/, '').replace('all accounts', 'all')}`).sort();

/** The same period logged by two servers: events dealt alternately to two files, each its own format. */
function twoServers(formats: ['json' | 'logfmt' | 'python', 'json' | 'logfmt' | 'python']): [string, string] {
  const parts: [string[], string[]] = [[], []];
  log.events.forEach((e, n) => parts[n % 2]!.push(render(e, formats[n % 2]!, n)));
  const files = formats.map((f, i) => path.join(dir, `server${i}-${formats.join('-')}.log`)) as [string, string];
  files.forEach((file, i) => writeFileSync(file, `${parts[i]!.join('\n')}\n`));
  return files;
}

describe('watch over several inputs of the same period', () => {
  it('merges them in event time: no event is late, and attacks split across them are found', async () => {
    const files = twoServers(['json', 'python']);
    const { report } = await runWatch({ inputs: files, config: resolveWatchConfig({}) });
    expect(report.stats['late']).toBe(0);
    expect(report.stats['events']).toBe(log.events.length);
    expect(found(report.findings)).toEqual(wanted);
  });

  it('merges standard input with a file', async () => {
    const [file, other] = twoServers(['logfmt', 'json']);
    const stdin = Readable.from([readFileSync(other)]);
    const { report } = await runWatch({ inputs: [file, '-'], config: resolveWatchConfig({}), stdin });
    expect(report.stats['late']).toBe(0);
    expect(found(report.findings)).toEqual(wanted);
  });

  it('--follow reads what the files hold, merged, then follows each from where it was, lines cut in two included', async () => {
    const files = twoServers(['json', 'logfmt']);
    // A last line still being written when the run starts.
    const extra = JSON.stringify({ timestamp: new Date(log.events.at(-1)!.time).toISOString(), event: 'auth_success', username: 'late-writer', client_ip: '10.1.2.3' });
    appendFileSync(files[0], extra.slice(0, 30));
    const seen: AlertPayload[] = [];
    const stop = new AbortController();
    const run = runWatch({
      inputs: files, config: resolveWatchConfig({}), follow: true, signal: stop.signal, pollMs: 20,
      sinks: [{ emit: (p) => seen.push(p), close: async () => undefined }],
    });
    while (seen.filter((p) => p.change === 'new').length < wanted.length) await sleep(20);
    appendFileSync(files[0], `${extra.slice(30)}\n`);
    await sleep(300);
    stop.abort();
    const { report } = await run;
    expect(report.stats['late']).toBe(0);
    expect(report.stats['malformed']).toBe(0);
    expect(report.stats['events']).toBe(log.events.length + 1);
    expect(found(report.findings)).toEqual(wanted);
  });
});
