import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../src/core/errors.js';
import { Redactor } from '../../src/core/redact.js';
import { launch } from '../../src/engines/probe/launcher.js';
import { PYTHON, TARGETS, freePort } from '../helpers/processes.js';
import { probe, processesWith, target } from './apps.js';

const redactor = new Redactor();

describe('launcher', () => {
  it('names a command that does not exist', async () => {
    const { url } = await target('node', 'unused.mjs', '/');
    const error = await launch({ cmd: 'portcullis-no-such-server --port 1', url, readyTimeoutMs: 5000, redactor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toMatch(/^command not found: portcullis-no-such-server/);
  });

  it('reports an early exit with the tail of the output, the user password masked', async () => {
    const { url } = await target('node', 'unused.mjs', '/');
    const masking = new Redactor().addBasic('alice', 'hunter2-Secret');
    const cmd = `echo starting; echo "config: password=hunter2-Secret" >&2; echo "fatal: database unreachable" >&2; exit 3`;
    const error = (await launch({ cmd, url, readyTimeoutMs: 5000, redactor: masking }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/exited with code 3 before it answered/);
    expect(error.message).toContain('fatal: database unreachable');
    expect(error.message).not.toContain('hunter2');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('says so when the command puts the server in the background and returns, and stops what it left', async () => {
    const { url, port } = await target('node', 'unused.mjs', '/');
    const marker = `${port}.375`;
    const error = (await launch({ cmd: `sleep 300${marker} & exit 0`, url, readyTimeoutMs: 5000, redactor }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^the command returned \(code 0\) and left its server in the background: run the server in the foreground/);
    expect(processesWith(`sleep 300${marker}`)).toEqual([]);
  });

  it('gives up after the readiness timeout and leaves nothing running', async () => {
    const { url, port } = await target('node', 'unused.mjs', '/');
    const marker = `${port}.25`;
    const error = (await launch({ cmd: `sleep ${marker}`, url, readyTimeoutMs: 1500, redactor }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/did not answer on .* within 2s/);
    expect(processesWith(`sleep ${marker}`)).toEqual([]);
  });

  it('finds the whole tree of uvicorn --reload for RSS, and stops all of it', async () => {
    const port = await freePort();
    const app = await launch({
      cmd: `${PYTHON} -m uvicorn probe_clean:app --reload --host 127.0.0.1 --port ${port}`,
      url: `http://127.0.0.1:${port}/secure`,
      cwd: TARGETS,
      readyTimeoutMs: 20_000,
      redactor,
    });
    try {
      const pids = app.processes();
      // sh, the reloader and the server it forked.
      expect(pids.length).toBeGreaterThanOrEqual(2);
      expect(app.rss(pids)).toBeGreaterThan(10 * 1024 * 1024);
    } finally {
      await app.stop();
    }
    expect(processesWith(`--port ${port}`)).toEqual([]);
  });

  it('leaves no orphan when the app crashes mid-probe under a shell wrapper', async () => {
    const { port, url } = await target('node', 'probe_crash_header.mjs', '/secure');
    const marker = `${port}.5`;
    // The wrapper starts a background helper, then the server; the server dies on a malformed header.
    const cmd = `sleep 300${marker} & exec ${process.execPath} probe_crash_header.mjs ${port}`;
    const { report, ids } = await probe({ cmd, url, requests: 2000 });
    expect(ids).toContain('probe.malformed-credentials-crash');
    expect(report.findings.find((f) => f.ruleId === 'probe.malformed-credentials-crash')!.severity).toBe('high');
    expect(report.warnings.join('\n')).toMatch(/exited during the malformed phase/);
    expect(processesWith(`sleep 300${marker}`)).toEqual([]);
    expect(processesWith(`probe_crash_header.mjs ${port}`)).toEqual([]);
  });

  it('refuses to start when something already listens on the URL: it would take the probe traffic', async () => {
    const { port, url } = await target('node', 'unused.mjs', '/');
    const squatter = createServer((_req, res) => res.end('not the app'));
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const error = (await launch({ cmd: `sleep ${port}.75`, url, readyTimeoutMs: 5000, redactor }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(ToolError);
      expect(error.message).toMatch(/^something already listens on 127\.0\.0\.1:\d+ before the app was started/);
      expect(processesWith(`sleep ${port}.75`)).toEqual([]);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('kills an app that ignores SIGTERM, and a helper that left the group with setsid', async () => {
    const { port, url } = await target('node', 'unused.mjs', '/');
    const marker = `${port}.125`;
    const server = `process.on('SIGTERM', () => {}); require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`;
    const app = await launch({ cmd: `setsid sleep 300${marker} & exec ${process.execPath} -e "${server}"`, url, readyTimeoutMs: 20_000, redactor });
    expect(processesWith(`sleep 300${marker}`)).toHaveLength(1);
    await app.stop();
    expect((await app.exited).signal).toBe('SIGKILL');
    expect(processesWith(`sleep 300${marker}`)).toEqual([]);
    expect(processesWith(`listen(${port}`)).toEqual([]);
  });
});
