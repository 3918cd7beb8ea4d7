import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/core/report-schema.js';
import { startVulnerableApi, type RunningApi } from '../../src/demo/vulnerable-api.js';
import { CLI } from '../helpers/cli.js';
import { ROOT, TARGETS } from '../helpers/processes.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { processesWith, target } from '../probe/apps.js';

const FIXTURES = path.join(ROOT, 'test/fixtures/code');
// A wrong password on purpose: the demo API answers "Invalid credentials for alice:<password>", so the
// secret comes back in responses and the server must still never hand it to the client.
const PASSWORD = 'Hunter2-mcp-secret';
const TOKEN = Buffer.from(`alice:${PASSWORD}`).toString('base64');

interface TextResult {
  content: { type: string; text: string }[];
  isError?: boolean;
}

function textOf(result: unknown): string {
  return (result as TextResult).content.map((c) => c.text).join('\n');
}

function expectNoSecret(text: string, ...secrets: string[]): void {
  for (const secret of [PASSWORD, TOKEN, ...secrets]) expect(text).not.toContain(secret);
}

let api: RunningApi;
let client: Client;
let transport: StdioClientTransport;
let stderr = '';
const protocolErrors: string[] = [];

beforeAll(async () => {
  api = await startVulnerableApi();
  transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], cwd: ROOT, stderr: 'pipe', env: { ...process.env } as Record<string, string> });
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  client = new Client({ name: 'portcullis-test', version: '1.0.0' });
  // Anything on the server's stdout that is not a protocol message ends up here.
  client.onerror = (error) => protocolErrors.push(error.message);
  await client.connect(transport);
}, 30_000);

afterAll(async () => {
  await client?.close();
  await api?.close();
});

describe('portcullis mcp (SDK client over stdio, built CLI)', () => {
  it('offers the six tools, each with an input schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['analyze_code', 'explain_rule', 'get_result', 'list_results', 'run_probe', 'scan_api']);
    const scan = tools.find((t) => t.name === 'scan_api')!;
    expect(scan.inputSchema.required).toEqual(['url']);
    expect(Object.keys(scan.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['url', 'spec', 'auth', 'tier']));
  });

  it('scans a local API with progress notifications, and the credential given never comes back', async () => {
    const progress: { progress: number; total?: number }[] = [];
    const result = await client.callTool(
      { name: 'scan_api', arguments: { url: api.url, auth: `basic:alice:${PASSWORD}`, tier: 'quick' } },
      undefined,
      { onprogress: (p) => progress.push(p), resetTimeoutOnProgress: true, timeout: 120_000 },
    );
    const text = textOf(result);
    expect((result as TextResult).isError).toBeUndefined();
    expect(text).toMatch(/Grade [A-F]/i);
    expect(text).toContain('auth.missing-challenge');
    expect(text).toMatch(/Result id: r\d+/);
    expect(progress.length).toBeGreaterThan(0);
    // Progress only ever increases, and never past the request budget.
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
    expect(progress.every((p) => p.total === undefined || p.progress <= p.total)).toBe(true);
    expectNoSecret(text);

    // Every later view of that result is clean too; the JSON one is a valid report and the SARIF valid SARIF.
    const id = /Result id: (r\d+)/.exec(text)![1]!;
    const json = textOf(await client.callTool({ name: 'get_result', arguments: { id, format: 'json' } }));
    expect(validateReport(JSON.parse(json))).toEqual([]);
    expect(json).toContain('[REDACTED]');
    const sarif = textOf(await client.callTool({ name: 'get_result', arguments: { id, format: 'sarif' } }));
    expect(validateSarif(JSON.parse(sarif))).toEqual([]);
    const list = textOf(await client.callTool({ name: 'list_results', arguments: {} }));
    expect(list).toContain(`${id}: scan ${api.url}`);
    for (const t of [json, sarif, list, stderr]) expectNoSecret(t);
  });

  it('analyses code at a path and lists the finding with file and line', async () => {
    const result = await client.callTool({ name: 'analyze_code', arguments: { path: path.join(FIXTURES, 'pr-baseline-v2') } });
    const text = textOf(result);
    expect((result as TextResult).isError).toBeUndefined();
    expect(text).toContain('py.basic-auth.failure-not-logged');
    expect(text).toMatch(/auth\.py:\d+/);
    const list = textOf(await client.callTool({ name: 'list_results', arguments: {} }));
    expect(list).toMatch(/r\d+: code .*pr-baseline-v2/);
  });

  it('runs a probe, reports secrets in the app log without repeating them, and stops the app', async () => {
    const t = await target('uvicorn', 'probe_logs_password', '/secure');
    const result = await client.callTool(
      { name: 'run_probe', arguments: { cmd: t.cmd, url: t.url, cwd: TARGETS, auth: 'basic:alice:wonderland', requests: 0, burst: 5 } },
      undefined,
      { resetTimeoutOnProgress: true, timeout: 120_000 },
    );
    const text = textOf(result);
    expect((result as TextResult).isError).toBeUndefined();
    expect(text).toContain('probe.secret-in-logs');
    expectNoSecret(text, 'wonderland', Buffer.from('alice:wonderland').toString('base64'));
    expect(processesWith(`--port ${t.port}`)).toEqual([]);
  }, 60_000);

  it('explains a rule with its remediation, and suggests ids for an unknown one', async () => {
    const known = await client.callTool({ name: 'explain_rule', arguments: { id: 'py.basic-auth.failure-not-logged' } });
    expect(textOf(known)).toContain('## How to fix it');
    const unknown = await client.callTool({ name: 'explain_rule', arguments: { id: 'failure-not-logged' } });
    expect((unknown as TextResult).isError).toBe(true);
    expect(textOf(unknown)).toContain('py.basic-auth.failure-not-logged');
  });

  it('rejects bad input as tool errors that never repeat a credential', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['scan_api', { url: 'not a url', auth: `basic:alice:${PASSWORD}` }, /url/i],
      ['scan_api', { url: 'ftp://127.0.0.1/', auth: `bearer:${PASSWORD}` }, /http:\/\/ or https:\/\//],
      ['scan_api', { url: api.url, auth: `alice:${PASSWORD}` }, /^portcullis: auth: expected basic:USER:PASS/],
      ['scan_api', { url: api.url, tier: 'extreme' }, /tier/],
      ['scan_api', { url: 'http://127.0.0.1:1', auth: `basic:alice:${PASSWORD}`, maxRequests: 5 }, /portcullis: /],
      ['run_probe', { cmd: 'true', url: api.url, auth: `alice:${PASSWORD}` }, /auth must look like basic:USER:PASSWORD/],
      ['analyze_code', { path: path.join(FIXTURES, 'no-such-dir') }, /path does not exist/],
      ['get_result', { id: 'r999' }, /No result "r999"/],
      ['explain_rule', {}, /id/],
    ];
    for (const [name, args, message] of cases) {
      const result = (await client.callTool({ name, arguments: args })) as TextResult;
      expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(textOf(result)).toMatch(message);
      expectNoSecret(textOf(result));
    }
    expectNoSecret(stderr);
  }, 60_000);

  it('kept stdout to protocol messages throughout', () => {
    expect(protocolErrors).toEqual([]);
  });
});

describe('portcullis mcp, client gone mid-probe', () => {
  it('stops the probed app and exits when the client closes during a long probe', async () => {
    const t = await target('uvicorn', 'seed_logging_naive', '/secure');
    const own = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], cwd: ROOT, stderr: 'pipe', env: { ...process.env } as Record<string, string> });
    const session = new Client({ name: 'portcullis-test', version: '1.0.0' });
    await session.connect(own);
    const pid = own.pid!;
    const inMemoryPhase = new Promise<void>((resolve) => {
      void session
        .callTool({ name: 'run_probe', arguments: { cmd: t.cmd, url: t.url, cwd: TARGETS, requests: 200_000, burst: 0 } }, undefined, {
          onprogress: (p) => p.message?.includes('memory growth') && resolve(),
          timeout: 120_000,
        })
        .catch(() => undefined);
    });
    await inMemoryPhase;
    expect(processesWith(`--port ${t.port}`).length).toBeGreaterThan(0);
    await session.close();
    const alive = (p: number) => {
      try {
        process.kill(p, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 20_000;
    while ((alive(pid) || processesWith(`--port ${t.port}`).length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
    expect(processesWith(`--port ${t.port}`)).toEqual([]);
  }, 90_000);
});

describe('portcullis mcp (raw stdio)', () => {
  it('writes nothing but JSON-RPC lines on stdout, and exits 0 when stdin closes', async () => {
    const child = spawn(process.execPath, [CLI, 'mcp'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const responses = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (out.split('\n').filter((l) => l.includes('"id"')).length >= n ? resolve() : setTimeout(check, 20));
        check();
      });
    const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    await responses(1);
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'analyze_code', arguments: { path: path.join(FIXTURES, 'pr-baseline-v1') }, _meta: { progressToken: 7 } } });
    await responses(2);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin.end();
    expect(await exited).toBe(0);
    const lines = out.split('\n').filter(Boolean);
    for (const line of lines) expect((JSON.parse(line) as { jsonrpc: string }).jsonrpc).toBe('2.0');
    expect(lines.some((l) => l.includes('notifications/progress'))).toBe(true);
    expect(lines.at(-1)).toContain('py.basic-auth.no-rate-limit');
  }, 30_000);
});
