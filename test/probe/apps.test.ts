import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { render } from '../../src/reporters/index.js';
import { ROOT } from '../helpers/processes.js';
import { probe, target } from './apps.js';

// Real apps from test/targets, started and stopped by probe itself. Request counts are below the
// default 20,000 to keep the suite short; the leaky apps still grow several MiB at these counts.
// A probe with a memory phase takes up to its 40 s time cap plus start-up and the other phases:
// on a busy 2-core machine that nears the suite's 60 s default, so these get twice that.
vi.setConfig({ testTimeout: 120_000 });

describe('probe against the seed 004 credential store (header "auth", as the document wrote it)', () => {
  it('flags the leak, the crash on malformed tokens, and that any credentials pass', async () => {
    const t = await target('uvicorn', 'seed_credential_store', '/items');
    const { report, ids } = await probe({ ...t, authHeader: 'auth', requests: 6000 });
    expect(ids).toEqual(['probe.any-credentials-accepted', 'probe.malformed-credentials-crash', 'probe.memory-growth']);
    const leak = report.findings.find((f) => f.ruleId === 'probe.memory-growth')!;
    expect(leak.details!['bytesPerRequest']).toBeGreaterThan(200);
    expect(leak.details!['projectedBytesPerMillionRequests']).toBeGreaterThan(200_000_000);
    expect(report.series!.map((s) => s.name)).toEqual(['RSS, warm-up (one credential)', 'RSS, distinct credentials', 'RSS, control (one credential, after)']);
    expect(report.series![1]!.points.length).toBeGreaterThan(10);
    expect(report.findings.find((f) => f.ruleId === 'probe.malformed-credentials-crash')!.evidence).toContain('Traceback');
    // The RSS series is drawn: a sparkline in text, an SVG chart in HTML.
    expect(render(report, 'text', { color: false })).toMatch(/RSS, distinct credentials: [▁▂▃▄▅▆▇█]{10,}/);
    expect(render(report, 'html', { color: false })).toContain('<svg viewBox');
  });

  it('does not flag the safe version: no growth, no crash', async () => {
    const t = await target('uvicorn', 'seed_credential_store_safe', '/items');
    const { report, ids } = await probe({ ...t, authHeader: 'auth', requests: 6000 });
    expect(ids).toEqual(['probe.any-credentials-accepted']);
    expect(report.stats['memoryVerdict']).toBe('flat');
    // The RSS series is in the report without a finding too.
    expect(render(report, 'text', { color: false })).toMatch(/ {2}Measurements\n {4}RSS, warm-up .*\n {4}RSS, distinct credentials: [▁▂▃▄▅▆▇█]{10,}/);
    expect(render(report, 'html', { color: false })).toMatch(/<h2>Measurements<\/h2>\n<figure><svg viewBox/);
  });

  it('with the default Authorization header the app never decodes anything: probe says so instead of guessing', async () => {
    const t = await target('uvicorn', 'seed_credential_store', '/items');
    const { report, ids } = await probe({ ...t, requests: 0, burst: 0 });
    expect(ids).not.toContain('probe.memory-growth');
    expect(ids).not.toContain('probe.malformed-credentials-crash');
    expect(report.findings.find((f) => f.ruleId === 'probe.auth-failure-not-logged')).toBeDefined();
    expect(report.warnings.join('\n')).toMatch(/answered exactly like a request without credentials .*see --auth-header/);
  });
});

describe('probe against the seed 000 logging apps', () => {
  it('naive: failures logged without the user, successes not logged, no throttling', async () => {
    const t = await target('uvicorn', 'seed_logging_naive', '/secure');
    const { report, ids, json } = await probe({ ...t, auth: { user: 'alice', password: 'secret123' }, requests: 0 });
    expect(ids).toEqual(['probe.auth-failure-not-logged', 'probe.auth-success-not-logged', 'probe.no-rate-limit']);
    expect(report.findings.find((f) => f.ruleId === 'probe.auth-failure-not-logged')!.evidence).toContain('Auth failed');
    expect(json).not.toContain('secret123');
  });

  it('remediated: its own lambda dependency breaks the route, so no auth event is ever logged', async () => {
    const t = await target('uvicorn', 'seed_logging_structured', '/secure');
    const { report, ids } = await probe({ ...t, auth: { user: 'alice', password: 'secret123' }, requests: 0, burst: 0 });
    // Without ?r= FastAPI answers 422 before any auth code runs.
    expect(report.warnings.join('\n')).toMatch(/answered 422, not 401\/403/);
    expect(report.warnings.join('\n')).toMatch(/--auth were not accepted \(HTTP 422\)/);
    expect(ids).toContain('probe.auth-failure-not-logged');

    // With ?r= the dependency runs and crashes: 500 and a traceback for every request.
    const withR = await target('uvicorn', 'seed_logging_structured', '/secure?r=x');
    const crashed = await probe({ ...withR, requests: 0, burst: 0 });
    expect(crashed.ids).toContain('probe.malformed-credentials-crash');
    expect(crashed.report.warnings.join('\n')).toMatch(/answered 500/);
  });
});

describe('probe against the seed 000 remediation with its dependency bug fixed', () => {
  const auth = { user: 'alice', password: 'secret123' };

  it("the document's format string drops the extras: the lines say auth_failure but name no one", async () => {
    const t = await target('uvicorn', 'seed_logging_structured_fixed', '/secure');
    const { report, ids } = await probe({ ...t, auth, requests: 0 });
    expect(ids).toEqual(['probe.auth-failure-not-logged', 'probe.auth-success-not-logged', 'probe.no-rate-limit']);
    expect(report.findings.find((f) => f.ruleId === 'probe.auth-failure-not-logged')!.evidence).toMatch(/\d{4}-\d\d-\d\d [\d:,]+ WARNING auth_failure/);
    expect(report.stats['successfulLogins']).toBe(3);
  });

  it('with the extras printed (Python text format): logged, and the missing method and correlation id listed', async () => {
    const t = await target('uvicorn', 'seed_logging_structured_fixed', '/secure');
    const { report, ids } = await probe({ ...t, auth, env: { PROBE_LOG_EXTRAS: '1' }, requests: 0 });
    expect(ids).toEqual(['probe.log-missing-context', 'probe.no-rate-limit']);
    const context = report.findings.filter((f) => f.ruleId === 'probe.log-missing-context');
    expect(context.map((f) => [f.details!['outcome'], f.details!['missing']])).toEqual([
      ['failure', ['method', 'correlation id']],
      ['success', ['method', 'correlation id']],
    ]);
  });
});

describe('probe against purpose-built apps', () => {
  it('an app that logs the password and the header: flagged, the user password masked in every output', async () => {
    const t = await target('uvicorn', 'probe_logs_password', '/secure');
    const { report, ids, json } = await probe({ ...t, auth: { user: 'alice', password: 'wonderland' }, requests: 0 });
    expect(ids).toContain('probe.secret-in-logs');
    const forms = report.findings.filter((f) => f.ruleId === 'probe.secret-in-logs').map((f) => f.message);
    expect(forms.join('\n')).toMatch(/The raw header /);
    expect(forms.join('\n')).toMatch(/The password /);
    expect(json).not.toContain('wonderland');
    expect(json).not.toContain(Buffer.from('alice:wonderland').toString('base64'));
  });

  it('a clean app: zero findings', async () => {
    const t = await target('uvicorn', 'probe_clean', '/secure');
    const { report, ids } = await probe({ ...t, auth: { user: 'alice', password: 'correct-horse-battery' }, requests: 4000 });
    expect(ids).toEqual([]);
    expect(report.score).toBe(100);
    expect(report.stats['successfulLogins']).toBe(3);
    expect(report.stats['memoryVerdict']).toBe('flat');
    expect(report.warnings).toEqual([]);
  });

  it('a Node app (not Python): logfmt lines parsed, its Map of credentials flagged', async () => {
    const t = await target('node', 'probe_node_api.mjs', '/secure');
    const { report, ids } = await probe({ ...t, auth: { user: 'alice', password: 'node-secret-42' }, requests: 12_000 });
    expect(ids).toEqual(['probe.log-missing-context', 'probe.memory-growth', 'probe.no-rate-limit']);
    const context = report.findings.filter((f) => f.ruleId === 'probe.log-missing-context');
    expect(context.map((f) => f.details!['missing'])).toEqual([['correlation id'], ['correlation id']]);
    // It answers a wrong login and no login alike, but it logged the canaries: no "reads another header" warning.
    expect(report.warnings).toEqual([]);
  });

  it('the same Node app without the Map: no memory finding', async () => {
    const t = await target('node', 'probe_node_api.mjs', '/secure', ' noleak');
    const { report, ids } = await probe({ ...t, requests: 12_000 });
    expect(ids).not.toContain('probe.memory-growth');
    expect(report.stats['memoryVerdict']).toBe('flat');
    expect(report.warnings).toEqual([]);
  });

  it('reads --log-file: the clean app with stderr sent to a file is clean only when the file is read', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'portcullis-probe-')), 'app.log');
    const auth = { user: 'alice', password: 'correct-horse-battery' };
    const t = await target('uvicorn', 'probe_clean', '/secure', ` 2>>${file}`);
    const { ids } = await probe({ ...t, auth, logFile: file, requests: 0 });
    expect(ids).toEqual([]);
    // Pointed at a file the app never writes: blind, and told so.
    const blind = await target('uvicorn', 'probe_clean', '/secure', ` 2>>${file}`);
    const { report, ids: blindIds } = await probe({ ...blind, auth, logFile: `${file}.missing`, requests: 0 });
    expect(blindIds).toEqual(['probe.auth-failure-not-logged', 'probe.auth-success-not-logged']);
    expect(report.warnings).toEqual([`--log-file ${file}.missing never existed while the app ran: nothing was read from it (a relative path is taken from where portcullis runs, not from --cwd)`]);
  });

  // Its memory growth is left to probe_node_api.mjs: the demo's RSS under tsx is noisier (R² ~0.2).
  it('the built-in demo API (Node): password in the log, stack trace to the client, no throttling', async () => {
    const port = (await target('node', 'unused.mjs', '/')).port;
    const cmd = `${process.execPath} --import tsx src/demo/server.ts ${port}`;
    const { report, ids } = await probe({ cmd, cwd: ROOT, url: `http://127.0.0.1:${port}/api/items`, auth: { user: 'alice', password: 'wonderland-2024' }, requests: 0 });
    expect(ids).toEqual(['probe.log-missing-context', 'probe.malformed-credentials-crash', 'probe.no-rate-limit', 'probe.secret-in-logs']);
    expect(report.findings.find((f) => f.ruleId === 'probe.malformed-credentials-crash')!.message).toContain('the response body carries the stack trace');
    expect(JSON.stringify(report)).not.toContain('wonderland-2024');
  });

  it('logs that arrive only at exit (block-buffered stdout) are not "at the time"', async () => {
    const live = await target('uvicorn', 'probe_print_logger', '/secure');
    expect((await probe({ ...live, requests: 0, burst: 0 })).ids).toEqual([]);
    // Without the access log, nothing else flushes stdout (uvicorn's access handler writes there too).
    const buffered = await target('uvicorn', 'probe_print_logger', '/secure', ' --no-access-log');
    const { report, ids } = await probe({ ...buffered, env: { PYTHONUNBUFFERED: '' }, requests: 0, burst: 0 });
    expect(ids).toEqual(['probe.auth-failure-not-logged']);
    expect(report.findings[0]!.message).toMatch(/appeared only [\d.]+s after the response \(buffered output\?\)/);
  });
});
