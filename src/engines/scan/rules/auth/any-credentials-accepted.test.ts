import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, startServer, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { anyCredentialsAccepted } from './any-credentials-accepted.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('auth.any-credentials-accepted', () => {
  it('positive: a decoder that never checks the password lets a nonexistent user in', async () => {
    server = await startServer((req, res) => {
      const header = req.headers.authorization ?? '';
      const decoded = Buffer.from(header.slice(6), 'base64').toString();
      const ok = header.startsWith('Basic ') && decoded.includes(':');
      res.writeHead(ok ? 200 : 401, ok ? { 'content-type': 'application/json' } : { 'www-authenticate': 'Basic realm="x"' });
      res.end(ok ? JSON.stringify({ user: decoded.split(':')[0] }) : '');
    });
    const report = await runScan({ target: `${server.url}/api/me`, rules: [anyCredentialsAccepted], tier: 'quick' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['auth.any-credentials-accepted GET /api/me']);
    expect(report.findings[0]!.severity).toBe('critical');
  });

  it('negative: a real password check refuses the nonexistent user', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [anyCredentialsAccepted], tier: 'quick' });
    expect(report.findings).toEqual([]);
    expect(server.requests.filter((r) => r.headers.authorization)).toHaveLength(1);
  });
});
