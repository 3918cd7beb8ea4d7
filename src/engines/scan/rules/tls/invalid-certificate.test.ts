import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, selfSignedCertificate, startAuthApi, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { SCAN_RULES } from '../index.js';
import { invalidCertificate } from './invalid-certificate.js';

let server: LocalServer | undefined;
let tls: { key: string; cert: string };
beforeAll(() => {
  tls = selfSignedCertificate();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('tls.invalid-certificate', () => {
  it('positive: a self-signed certificate is a finding and stops the scan without --insecure', async () => {
    server = await startAuthApi({ tls });
    const report = await runScan({ target: server.url, rules: SCAN_RULES, tier: 'quick' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['tls.invalid-certificate /']);
    expect(report.warnings.join('\n')).toContain('--insecure');
    expect(server.requests).toEqual([]);
  });

  it('positive: with --insecure the finding stays and the scan goes on', async () => {
    server = await startAuthApi({ tls });
    const report = await runScan({ target: server.url, rules: [invalidCertificate], tier: 'quick', insecure: true });
    expect(findingsOf(report)).toEqual(['tls.invalid-certificate /']);
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it('negative: plain HTTP has no certificate to judge', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [invalidCertificate], tier: 'quick' });
    expect(report.findings).toEqual([]);
  });
});
