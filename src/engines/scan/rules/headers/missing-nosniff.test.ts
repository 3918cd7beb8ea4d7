import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, startServer, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { missingNosniff } from './missing-nosniff.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('headers.missing-nosniff', () => {
  it('positive: 401s of secured operations without nosniff', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [missingNosniff], tier: 'quick' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['headers.missing-nosniff GET /api/items']);
  });

  it('negative: nosniff on every response', async () => {
    server = await startAuthApi({ headers: { 'x-content-type-options': 'nosniff' } });
    const report = await runScan({ target: server.url, rules: [missingNosniff], tier: 'quick' });
    expect(report.findings).toEqual([]);
  });

  it('negative: a public site without any authentication is out of scope', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<h1>hello</h1>');
    });
    const report = await runScan({ target: server.url, rules: [missingNosniff], tier: 'quick' });
    expect(report.findings).toEqual([]);
  });
});
