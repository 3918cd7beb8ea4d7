import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, selfSignedCertificate, startAuthApi, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { hstsProblem, missingHsts } from './missing-hsts.js';

let server: LocalServer | undefined;
let tls: { key: string; cert: string };
beforeAll(() => {
  tls = selfSignedCertificate();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('headers.missing-hsts', () => {
  it('positive: an HTTPS API whose authenticated endpoints send no HSTS', async () => {
    server = await startAuthApi({ tls });
    const report = await runScan({ target: server.url, rules: [missingHsts], tier: 'quick', insecure: true });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['headers.missing-hsts GET /api/items']);
  });

  it('positive: a max-age under 180 days', () => {
    expect(hstsProblem('max-age=3600')).toMatch(/under 180 days/);
    expect(hstsProblem('includeSubDomains')).toMatch(/without max-age/);
  });

  it('negative: a year of HSTS gives nothing', async () => {
    server = await startAuthApi({ tls, headers: { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } });
    const report = await runScan({ target: server.url, rules: [missingHsts], tier: 'quick', insecure: true });
    expect(report.findings).toEqual([]);
  });

  it('negative: plain HTTP is out of scope for this rule', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [missingHsts], tier: 'quick' });
    expect(report.findings).toEqual([]);
  });
});
