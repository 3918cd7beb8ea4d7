import { spawn } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { validateReport } from '../../src/core/report-schema.js';
import { ROOT, TARGETS } from '../helpers/processes.js';
import { processesWith, target } from './apps.js';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI from source (no build needed); `onStderr` may act on progress lines, e.g. send Ctrl-C. */
function cli(args: string[], onStderr?: (text: string, pid: number) => void, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child.pid!);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// Each CLI run loads TypeScript from source (seconds apiece on a busy machine): room for several.
vi.setConfig({ testTimeout: 120_000 });

describe('portcullis probe (CLI)', () => {
  it('writes a valid JSON report, and the --auth password appears nowhere', async () => {
    const t = await target('uvicorn', 'seed_logging_naive', '/secure');
    const run = await cli(['probe', '--cmd', t.cmd, '--url', t.url, '--cwd', TARGETS, '--auth', 'basic:alice:secret123', '--requests', '0', '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { engine: string; findings: { ruleId: string }[] };
    expect(validateReport(report)).toEqual([]);
    expect(report.engine).toBe('probe');
    expect(report.findings.map((f) => f.ruleId)).toContain('probe.auth-success-not-logged');
    expect(run.stdout + run.stderr).not.toContain('secret123');
    expect(processesWith(`--port ${t.port}`)).toEqual([]);
  });

  it('fails in one line with exit 2 for a missing command, without echoing a malformed --auth', async () => {
    const t = await target('uvicorn', 'seed_logging_naive', '/secure');
    const missing = await cli(['probe', '--cmd', 'portcullis-no-such-server', '--url', t.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n').at(-1)).toMatch(/^portcullis: error: command not found: portcullis-no-such-server/);
    const badAuth = await cli(['probe', '--cmd', 'true', '--url', t.url, '--auth', 'alice:hunter2-Secret']);
    expect(badAuth.code).toBe(2);
    expect(badAuth.stderr).toMatch(/--auth must look like basic:USER:PASSWORD/);
    expect(badAuth.stderr).not.toContain('hunter2');
    const remote = await cli(['probe', '--cmd', 'true', '--url', 'http://example.com/']);
    expect(remote.stderr).toMatch(/--url must point at this machine/);
    // Defaults are shown in the unit the options take.
    const help = await cli(['probe', '--help']);
    expect(help.stdout).toMatch(/--time-cap <seconds> +time cap of the memory check \(default: 40\)/);
    expect(help.stdout).toMatch(/--ready-timeout <seconds>[^(]+\(default: 30\)/);
  });

  it('Ctrl-C during the memory phase stops the app: no orphans', async () => {
    const t = await target('uvicorn', 'seed_credential_store', '/items');
    let sent = false;
    const run = await cli(['probe', '--cmd', t.cmd, '--url', t.url, '--cwd', TARGETS, '--auth-header', 'auth', '--requests', '1000000', '--time-cap', '60'], (text, pid) => {
      if (!sent && text.includes('phase: memory growth')) {
        sent = true;
        setTimeout(() => process.kill(pid, 'SIGINT'), 500);
      }
    });
    expect(sent).toBe(true);
    expect(run.signal).toBe('SIGINT');
    expect(processesWith(`--port ${t.port}`)).toEqual([]);
  });

  it('Ctrl-C while an app that ignores SIGTERM is being stopped: still killed, no orphans', async () => {
    const { port, url } = await target('node', 'unused.mjs', '/');
    const server = `process.on('SIGTERM', () => {}); require('http').createServer((q, s) => { s.statusCode = 401; s.end(); }).listen(${port}, '127.0.0.1')`;
    let sent = false;
    const run = await cli(['probe', '--cmd', `${process.execPath} -e "${server}"`, '--url', url, '--requests', '0', '--burst', '0'], (text, pid) => {
      if (!sent && text.includes('stopping the app')) {
        sent = true;
        process.kill(pid, 'SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(run.signal).toBe('SIGINT');
    expect(processesWith(`listen(${port}`)).toEqual([]);
  });
});
