import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, selfSignedCertificate, startAuthApi, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
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
