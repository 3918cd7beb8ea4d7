import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, expectValidReport, findingsOf, startAuthApi, startServer, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { unprotectedEndpoint } from './unprotected-endpoint.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const specWithAdmin = { ...DEFAULT_SPEC, paths: { ...DEFAULT_SPEC.paths, '/admin/stats': { get: { responses: { '200': { description: 'ok' } } } } } };

describe('auth.unprotected-endpoint', () => {
  it('positive: an operation the spec secures answers 200 anonymously', async () => {
    server = await startAuthApi({ publicAdmin: true, spec: specWithAdmin });
    const report = await runScan({ target: server.url, rules: [unprotectedEndpoint], tier: 'quick' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['auth.unprotected-endpoint GET /admin/stats']);
    expect(report.findings[0]!.message).toContain('secured in the spec');
  });

  it('positive: HEAD skips the check that GET enforces', async () => {
    server = await startAuthApi({ headBypass: true });
    const report = await runScan({ target: server.url, rules: [unprotectedEndpoint], tier: 'quick' });
    expect(findingsOf(report)).toEqual(['auth.unprotected-endpoint HEAD /api/items', 'auth.unprotected-endpoint HEAD /api/items/{id}']);
  });

  it('positive: a sensitive path without a spec', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('# HELP http_requests_total\nhttp_requests_total 42\n');
        return;
      }
      res.writeHead(404);
      res.end();
    });
    const report = await runScan({ target: server.url, rules: [unprotectedEndpoint], tier: 'quick' });
    expect(findingsOf(report)).toEqual(['auth.unprotected-endpoint GET /metrics']);
  });

  it('negative: secured operations refuse, public ones are declared public', async () => {
    server = await startAuthApi({ spec: specWithAdmin });
    const report = await runScan({ target: server.url, rules: [unprotectedEndpoint], tier: 'deep' });
    expect(report.findings).toEqual([]);
    expect(server.requests.some((r) => r.method === 'HEAD')).toBe(true);
  });

  it('negative: a catch-all page that answers 200 everywhere is not an exposed admin', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body><div id="app">Loading</div></body></html>');
    });
    const report = await runScan({ target: server.url, rules: [unprotectedEndpoint], tier: 'deep' });
    expect(report.findings).toEqual([]);
  });
});
