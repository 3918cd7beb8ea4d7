import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, startServer, USERS, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { serverError } from './server-error.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('exposure.server-error', () => {
  it('positive: an operation that fails with 500 on a plain GET', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/openapi.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/broken': { get: { responses: { '200': { description: 'ok' } } } }, '/fine': { get: { responses: { '200': { description: 'ok' } } } } } }));
        return;
      }
      res.writeHead(req.url === '/broken' ? 500 : 200, { 'content-type': 'text/plain' });
      res.end(req.url === '/broken' ? 'Internal Server Error' : 'ok');
    });
    const report = await runScan({ target: server.url, rules: [serverError], tier: 'quick' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['exposure.server-error GET /broken']);
  });

  it('negative: 401s, 404s and a 503 maintenance page are not server errors', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [serverError], tier: 'quick', auth: `basic:alice:${USERS['alice']}` });
    expect(report.findings).toEqual([]);
    await server.close();
    server = await startServer((_req, res) => {
      res.writeHead(503, { 'retry-after': '120' });
      res.end('down for maintenance');
    });
    expect((await runScan({ target: server.url, rules: [serverError], tier: 'quick' })).findings).toEqual([]);
  });
});
