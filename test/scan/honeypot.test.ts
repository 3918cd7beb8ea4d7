import { afterEach, describe, expect, it } from 'vitest';
import { runScan } from '../../src/engines/scan/engine.js';
import { expectValidReport, startServer, type LocalServer } from './servers.js';

// Honeypots (the habit of Nuclei's CI): servers that say yes to everything. No rule may fire.

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SAME_PAGE = '<!doctype html><html><head><title>Welcome</title></head><body><h1>Welcome</h1><p>Everything is fine.</p><script src="/app.js"></script></body></html>';

function echoEverything() {
  return startServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
  });
}

function samePageEverywhere() {
  return startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(SAME_PAGE);
  });
}

describe('honeypots', () => {
  it.each([
    ['200-echo-everything', echoEverything],
    ['same HTML for every path', samePageEverywhere],
  ])('%s: a deep scan finds nothing', async (_name, start) => {
    server = await start();
    const report = await runScan({ target: server.url, tier: 'deep', knownUser: 'alice' });
    expectValidReport(report);
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([]);
    // It did look: the common paths and the spec locations were all requested.
    expect(server.requests.map((r) => r.url)).toEqual(expect.arrayContaining(['/admin', '/metrics', '/debug', '/openapi.json', '/swagger.json']));
  });

  it('same HTML for every path, with credentials: still nothing', async () => {
    server = await samePageEverywhere();
    const report = await runScan({ target: server.url, tier: 'deep', auth: 'bearer:honeypot-token-123', knownUser: 'alice' });
    expect(report.findings).toEqual([]);
  });

  it('a scan of the echo honeypot with credentials does report the truth: they come back', async () => {
    server = await echoEverything();
    const report = await runScan({ target: server.url, tier: 'quick', auth: 'bearer:echoed-token-456' });
    expect(new Set(report.findings.map((f) => f.ruleId))).toEqual(new Set(['exposure.credential-reflection']));
    expect(JSON.stringify(report)).not.toContain('echoed-token-456');
  });
});
