import { afterEach, describe, expect, it } from 'vitest';
import { USERS, expectValidReport, findingsOf, selfSignedCertificate, startAuthApi, startServer, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { anyCredentialsAccepted } from './any-credentials-accepted.js';
import { basicCleartext } from './basic-cleartext.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('auth.basic-cleartext', () => {
  it('positive: a Basic challenge over http://', async () => {
    server = await startAuthApi({ spec: false });
    const report = await runScan({ target: server.url, rules: [basicCleartext], tier: 'quick' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['auth.basic-cleartext GET /admin/users']);
  });

  it('positive: a spec that declares Basic over http://, with no challenge sent', async () => {
    server = await startAuthApi({ challenge: 'none' });
    const report = await runScan({ target: server.url, rules: [basicCleartext], tier: 'quick' });
    expect(findingsOf(report)).toEqual(['auth.basic-cleartext /']);
  });

  it('positive: no challenge and no spec, but the --auth Basic credentials are accepted over http://', async () => {
    server = await startAuthApi({ challenge: 'none', spec: false });
    const report = await runScan({ target: `${server.url}/api/items`, rules: [basicCleartext], tier: 'quick', auth: `basic:alice:${USERS['alice']}` });
    expect(findingsOf(report)).toEqual(['auth.basic-cleartext GET /api/items']);
  });

  it('positive: no challenge, no spec, no --auth, but any Basic login gets in over http://', async () => {
    server = await startServer((req, res) => {
      const ok = (req.headers.authorization ?? '').startsWith('Basic ');
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(ok ? '{"user":"whoever"}' : '{"detail":"Not authenticated"}');
    });
    const report = await runScan({ target: `${server.url}/api/me`, rules: [anyCredentialsAccepted, basicCleartext], tier: 'quick' });
    expect(findingsOf(report)).toEqual(['auth.any-credentials-accepted GET /api/me', 'auth.basic-cleartext GET /api/me']);
  });

  it('negative: a server that refuses every Basic login and never offers Basic gives nothing', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"detail":"Not authenticated"}');
    });
    const report = await runScan({ target: `${server.url}/api/me`, rules: [anyCredentialsAccepted, basicCleartext], tier: 'quick' });
    expect(report.findings).toEqual([]);
  });

  it('negative: the same API over https:// gives nothing', async () => {
    server = await startAuthApi({ tls: selfSignedCertificate() });
    const report = await runScan({ target: server.url, rules: [basicCleartext], tier: 'quick', insecure: true });
    expectValidReport(report);
    expect(report.findings).toEqual([]);
  });

  it('negative: an http:// API without any Basic offer gives nothing', async () => {
    server = await startAuthApi({ challenge: { raw: 'Bearer realm="api"' }, spec: false });
    const report = await runScan({ target: server.url, rules: [basicCleartext], tier: 'quick' });
    expect(report.findings).toEqual([]);
  });
});
