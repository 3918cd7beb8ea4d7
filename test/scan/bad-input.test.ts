import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeError, ToolError } from '../../src/core/errors.js';
import { validateReport } from '../../src/core/report-schema.js';
import { buildProgram } from '../../src/cli/program.js';
import { runScan } from '../../src/engines/scan/engine.js';
import { freePort } from '../helpers/processes.js';
import { runCli, type CliResult } from './cli-run.js';
import { startBlackhole } from './python.js';
import { selfSignedCertificate, startAuthApi, startServer, type LocalServer } from './servers.js';

// Every case ends with a clear message: exit 2 and one line when the scan cannot proceed, a warning
// when it can; never a stack trace, never a hang (the child has a 192 MiB heap: memory stays bounded).

let dir: string;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'portcullis-bad-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function serve(handler: Parameters<typeof startServer>[0]): Promise<LocalServer> {
  const server = await startServer(handler);
  cleanups.push(server.close);
  return server;
}

/** A raw TCP service; `onSocket` decides what it says. */
async function tcpService(onSocket: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function expectCleanFailure(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(result.stdout).toBe('');
}

async function expectToolError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  expect(describeError(error)).toMatch(message);
  expect((error as Error).message.split('\n')).toHaveLength(1);
}

function expectReport(result: CliResult): Record<string, unknown> {
  expect([0, 1], result.stderr).toContain(result.code);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  const report = JSON.parse(result.stdout) as Record<string, unknown>;
  expect(validateReport(report)).toEqual([]);
  return report;
}

const QUICK = ['--tier', 'quick', '--max-duration', '30', '-f', 'json'];

describe('scan: bad input', () => {
  it('refused port', async () => {
    const port = await freePort();
    expectCleanFailure(await runCli(['scan', `http://127.0.0.1:${port}`, ...QUICK]), /connection refused/);
  });

  it('DNS failure', async () => {
    // A 64-character label is longer than DNS allows: the resolver fails it locally, so the test
    // sends no query off the machine (a plain unknown name would go to the configured nameserver).
    const host = `${'portcullis'.padEnd(64, 'x')}.invalid`;
    await expectToolError(runScan({ target: `http://${host}/`, tier: 'quick' }), /cannot resolve the host/);
  });

  it('unreachable host (no TCP handshake): stops after one connect attempt, not at the time cap', async () => {
    const blackhole = await startBlackhole();
    cleanups.push(blackhole.stop);
    const started = Date.now();
    await expectToolError(runScan({ target: blackhole.url, tier: 'quick', timeoutMs: 1000 }), /cannot connect to .*: no TCP handshake in time/);
    // About 0.8 s of handshake; the wide margin is for a loaded CI machine (the time cap is 300 s).
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a host that accepts connections and never answers', async () => {
    const url = await tcpService(() => undefined);
    await expectToolError(runScan({ target: url, tier: 'quick', timeoutMs: 800 }), /no answer from .* in time/);
  });

  it('invalid URL (CLI)', async () => {
    expectCleanFailure(await runCli(['scan', 'not a url', ...QUICK]), /invalid target URL/);
  });

  it.each([
    ['no scheme', 'example.com/api'],
    ['ftp', 'ftp://127.0.0.1/'],
    ['no host', 'http://'],
  ])('invalid URL: %s', async (_name, url) => {
    await expectToolError(runScan({ target: url, tier: 'quick' }), /invalid target URL/);
  });

  it('https:// for a plain-HTTP port: one clear error, not a certificate finding', async () => {
    const server = await serve((_req, res) => res.end('plain http'));
    const url = server.url.replace('http://', 'https://');
    await expectToolError(runScan({ target: url, tier: 'quick' }), /does not answer with TLS \(ERR_SSL_WRONG_VERSION_NUMBER\); a plain-HTTP port\? try http:\/\/127\.0\.0\.1:\d+/);
    await expectToolError(runScan({ target: url, tier: 'quick', insecure: true }), /does not answer with TLS/);
    expect(server.requests).toEqual([]);
  });

  it('http:// for an HTTPS port: one clear error with a hint', async () => {
    const server = await startServer((_req, res) => res.end('over tls'), selfSignedCertificate());
    cleanups.push(server.close);
    await expectToolError(runScan({ target: server.url.replace('https://', 'http://'), tier: 'quick' }), /closed the connection without an answer; if it serves HTTPS, try https:\/\/127\.0\.0\.1:\d+/);
  });

  it('non-HTTP service', async () => {
    const url = await tcpService((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    expectCleanFailure(await runCli(['scan', url, ...QUICK]), /did not answer with HTTP/);
  });

  it('a spec that is not a spec (file and URL)', async () => {
    const api = await startAuthApi({ spec: false });
    cleanups.push(api.close);
    const file = path.join(dir, 'not-a-spec.json');
    writeFileSync(file, '<html><body>Swagger UI</body></html>');
    expectCleanFailure(await runCli(['scan', api.url, '--spec', file, ...QUICK]), /not a Swagger 2\.0 or OpenAPI/);
    await expectToolError(runScan({ target: api.url, spec: `${api.url}/health`, tier: 'quick' }), /not a Swagger 2\.0 or OpenAPI/);
    await expectToolError(runScan({ target: api.url, spec: path.join(dir, 'missing.yaml'), tier: 'quick' }), /cannot read it/);
  });

  it('a 10,000-operation spec: scanned within the tier, the rest named in a warning', async () => {
    const api = await startAuthApi({ spec: false });
    cleanups.push(api.close);
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) paths[`/api/items/${i}`] = { get: { responses: { '200': { description: 'ok' } } } };
    const file = path.join(dir, 'huge.json');
    writeFileSync(file, JSON.stringify({ openapi: '3.0.3', info: { title: 'huge', version: '1' }, paths }));
    const result = await runCli(['scan', api.url, '--spec', file, ...QUICK]);
    const report = expectReport(result);
    expect((report['stats'] as Record<string, unknown>)['operations']).toBe(10_001);
    expect(report['warnings']).toEqual(expect.arrayContaining([expect.stringMatching(/9941 of 10001 read-only operations not scanned/)]));
    expect(api.requests.length).toBeLessThanOrEqual(150);
  });

  it('a response that never ends: cut off at the timeout, with a warning', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('more '), 50);
      res.on('close', () => clearInterval(timer));
    });
    const report = await runScan({ target: server.url, tier: 'quick', timeoutMs: 300 });
    expect(validateReport(JSON.parse(JSON.stringify(report)))).toEqual([]);
    expect(report.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/cut off \(timeout\)/)]));
  });

  it('a gzip bomb: decoded size capped, with a warning', async () => {
    // 32 MiB of zeros gzip to about 32 KiB; eight members in a row decode to 256 MiB.
    const member = gzipSync(Buffer.alloc(32 * 1024 * 1024), { level: 9 });
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      for (let i = 0; i < 7; i++) res.write(member);
      res.end(member);
    });
    const report = expectReport(await runCli(['scan', server.url, ...QUICK]));
    expect(report['warnings']).toEqual(expect.arrayContaining([expect.stringMatching(/cut off \(size\) after 1048576 bytes/)]));
  });

  it('a redirect loop: stopped at the hop limit, with a warning', async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    const report = await runScan({ target: `${server.url}/a`, tier: 'quick' });
    expect(report.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/more than 5 redirects/)]));
  });

  it('malformed --auth: exit 2 and the secret is not repeated', async () => {
    const result = await runCli(['scan', 'http://127.0.0.1:9/', '--auth', 'basic-hunter2-secret', ...QUICK]);
    expectCleanFailure(result, /--auth: expected basic:USER:PASS/);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('invalid option value (CLI)', async () => {
    const result = await runCli(['scan', 'http://127.0.0.1:9/', '--max-requests', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--max-requests must be a positive whole number/)]);
  });

  it.each([
    ['--concurrency', 'lots'],
    ['--tier', 'extreme'],
    ['--timeout', '-5'],
  ])('invalid %s %s', async (flag, value) => {
    const program = buildProgram();
    program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined, outputError: () => undefined });
    await expect(program.parseAsync(['node', 'portcullis', 'scan', 'http://127.0.0.1:9/', flag, value])).rejects.toMatchObject({ exitCode: 1, code: expect.stringMatching(/^commander\./) });
  });
});
