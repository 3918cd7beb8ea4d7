import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/core/report-schema.js';
import { FORMATS } from '../../src/reporters/index.js';
import { runCli, runCliOnTerminal } from './cli-run.js';
import { USERS, startAuthApi, type LocalServer } from './servers.js';

let dir: string;
let server: LocalServer | undefined;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'portcullis-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PASSWORD = USERS['alice']!;
const TOKEN = Buffer.from(`alice:${PASSWORD}`).toString('base64');

describe('portcullis scan (CLI)', () => {
  it('credentials from PORTCULLIS_AUTH reach the target and appear in no report format, warning or log', async () => {
    // The target reflects credentials and crashes with a stack trace: the worst case for leaks.
    server = await startAuthApi({ reflectCredentials: true, crashOnMalformed: true });
    const extra = Object.keys(FORMATS).filter((f) => f !== 'json').flatMap((f) => ['--report', `${f}=${path.join(dir, `report.${f}`)}`]);
    const result = await runCli(['scan', server.url, '-f', 'json', '--known-user', 'alice', ...extra], { PORTCULLIS_AUTH: `basic:alice:${PASSWORD}` });
    expect([0, 1]).toContain(result.code);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string }[] };
    expect(validateReport(report)).toEqual([]);
    expect(report.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['exposure.credential-reflection', 'headers.missing-no-store']));
    // The authenticated baseline really used the credentials.
    expect(server.requests.some((r) => r.headers.authorization === `Basic ${TOKEN}`)).toBe(true);
    const outputs = [result.stdout, result.stderr, ...Object.keys(FORMATS).filter((f) => f !== 'json').map((f) => readFileSync(path.join(dir, `report.${f}`), 'utf8'))];
    for (const text of outputs) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(TOKEN);
    }
  });

  it('--auth on the command line works the same and wins over the environment', async () => {
    server = await startAuthApi({ headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } });
    const result = await runCli(['scan', server.url, '--tier', 'quick', '-f', 'json', '--auth', `basic:alice:${PASSWORD}`], { PORTCULLIS_AUTH: 'bearer:wrong-token' });
    expect(result.code).toBe(0);
    expect(server.requests.some((r) => r.headers.authorization === `Basic ${TOKEN}`)).toBe(true);
    expect(server.requests.some((r) => r.headers.authorization === 'Bearer wrong-token')).toBe(false);
  });

  it('no progress output when stderr is not a terminal; the gate sets the exit code', async () => {
    server = await startAuthApi({ crashOnMalformed: true });
    const result = await runCli(['scan', server.url, '--tier', 'quick', '--fail-on', 'high']);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('\r');
    expect(result.stderr).toMatch(/gate failed/);
    expect(result.stdout).toContain('auth.malformed-credentials-crash');
  });

  it('a live status line on a terminal, none with --quiet', async () => {
    server = await startAuthApi({});
    const out = path.join(dir, 'tty.json');
    const shown = await runCliOnTerminal(['scan', server.url, '--tier', 'quick', '-f', 'json', '-o', out]);
    expect(shown).toMatch(/\rscan \[[#.]{20}\] \d+\/150 requests/);
    expect(validateReport(JSON.parse(readFileSync(out, 'utf8')))).toEqual([]);
    const quiet = await runCliOnTerminal(['scan', server.url, '--tier', 'quick', '-f', 'json', '-o', out, '--quiet']);
    expect(quiet).not.toMatch(/requests/);
  });

  it('--exchanges keeps every exchange as redacted evidence, one JSON line each (server cookies too)', async () => {
    server = await startAuthApi({ reflectCredentials: true, crashOnMalformed: true, headers: { 'set-cookie': 'session=server-issued-session-42; HttpOnly' } });
    const file = path.join(dir, 'exchanges.jsonl');
    // --known-user from the environment: the enumeration probes below prove it was read.
    const result = await runCli(['scan', server.url, '-f', 'json', '--exchanges', file, '--auth', `basic:alice:${PASSWORD}`], { PORTCULLIS_KNOWN_USER: 'alice' });
    const report = JSON.parse(result.stdout) as { stats: { requests: number } };
    const text = readFileSync(file, 'utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { tag: string; method: string; status?: number; requestHeaders: Record<string, string> });
    expect(lines).toHaveLength(report.stats.requests);
    expect(lines.length).toBe(server.requests.length);
    expect(new Set(lines.map((l) => l.tag))).toEqual(new Set(['connect', 'discovery', 'not-found', 'baseline', 'baseline-auth', 'auth.unprotected-endpoint', 'auth.path-variant-bypass', 'auth.any-credentials-accepted', 'auth.malformed-credentials-crash', 'auth.user-enumeration', 'auth.default-credentials', 'auth.no-brute-force-protection']));
    expect(lines.filter((l) => l.tag === 'baseline-auth').every((l) => l.requestHeaders['authorization'] === '[REDACTED]')).toBe(true);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('"set-cookie":"[REDACTED]"');
    expect(text).not.toContain('server-issued-session-42');
  });

  it('reads defaults from the scan: section of the config file; flags win; credentials there are refused', async () => {
    server = await startAuthApi({});
    const config = path.join(dir, 'portcullis.yml');
    writeFileSync(config, 'scan:\n  tier: quick\n  maxRequests: 40\n  knownUser: alice\n');
    const fromFile = JSON.parse((await runCli(['scan', server.url, '-f', 'json', '-c', config])).stdout) as { stats: Record<string, unknown> };
    expect(fromFile.stats).toMatchObject({ tier: 'quick', maxRequests: 40 });
    const overridden = JSON.parse((await runCli(['scan', server.url, '-f', 'json', '-c', config, '--tier', 'standard', '--max-requests', '90'])).stdout) as { stats: Record<string, unknown> };
    expect(overridden.stats).toMatchObject({ tier: 'standard', maxRequests: 90 });
    writeFileSync(config, 'scan:\n  auth: basic:alice:in-a-file\n');
    const refused = await runCli(['scan', server.url, '-c', config]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/credentials go in --auth or PORTCULLIS_AUTH/);
    expect(refused.stderr).not.toContain('in-a-file');
  });
});
