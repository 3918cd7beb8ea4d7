import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, startServer, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { mannWhitney } from '../../statistics.js';
import { userEnumeration } from './user-enumeration.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('auth.user-enumeration', () => {
  it('positive: a different message for unknown users', async () => {
    server = await startAuthApi({ enumerationMessage: true });
    const report = await runScan({ target: server.url, rules: [userEnumeration], tier: 'quick', knownUser: 'alice' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['auth.user-enumeration GET /api/items']);
    expect(report.findings[0]!.message).toContain('body');
  });

  it('positive: failed logins of existing users take 40 ms longer (timing only)', async () => {
    server = await startAuthApi({ knownUserDelayMs: 40 });
    const report = await runScan({ target: server.url, rules: [userEnumeration], tier: 'standard', knownUser: 'alice' });
    expect(findingsOf(report)).toEqual(['auth.user-enumeration GET /api/items']);
    expect(report.findings[0]!.message).toMatch(/slower .*Mann-Whitney/);
  });

  it('negative: identical answers in identical time', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [userEnumeration], tier: 'standard', knownUser: 'alice' });
    expect(report.findings).toEqual([]);
  });

  it('negative: an echo of the submitted username alone is not a difference', async () => {
    server = await startAuthApi({ reflectCredentials: true });
    const report = await runScan({ target: server.url, rules: [userEnumeration], tier: 'quick', knownUser: 'alice' });
    expect(report.findings).toEqual([]);
  });

  it('negative: with --known-user but no Basic-protected operation, a warning and no traffic', async () => {
    server = await startAuthApi({ spec: false, challenge: { raw: 'Bearer realm="api"' } });
    const report = await runScan({ target: server.url, rules: [userEnumeration], tier: 'standard', knownUser: 'alice' });
    expect(report.findings).toEqual([]);
    expect(report.warnings.join('\n')).toMatch(/nothing to compare/);
    expect(server.requests.filter((r) => r.headers.authorization)).toHaveLength(0);
  });

  it('negative: without --known-user the check sends nothing', async () => {
    server = await startAuthApi({ enumerationMessage: true });
    const report = await runScan({ target: server.url, rules: [userEnumeration], tier: 'standard' });
    expect(report.findings).toEqual([]);
    expect(server.requests.filter((r) => r.headers.authorization)).toHaveLength(0);
  });

  it('negative: Mann-Whitney finds nothing in two samples of one distribution, and a shift in two apart', () => {
    const same = mannWhitney([5, 6, 7, 5, 6, 7, 5, 6], [6, 5, 7, 6, 5, 7, 6, 5]);
    expect(same.p).toBeGreaterThan(0.5);
    const apart = mannWhitney(Array.from({ length: 20 }, (_, i) => 50 + (i % 5)), Array.from({ length: 20 }, (_, i) => 5 + (i % 5)));
    expect(apart.p).toBeLessThan(1e-6);
    expect(apart.effect).toBe(1);
  });
});

/** 401s that carry a fresh request id and timestamp, with or without an enumeration leak. */
function noisyLogin(leak: boolean) {
  let n = 0;
  return startServer((req, res) => {
    n++;
    const user = Buffer.from((req.headers.authorization ?? '').slice(6), 'base64').toString().split(':')[0];
    const detail = leak && user !== 'alice' ? 'Unknown user' : 'Invalid credentials';
    res.writeHead(401, { 'www-authenticate': 'Basic realm="x"', 'content-type': 'application/json', 'x-trace': `t-${n}` });
    res.end(JSON.stringify({ detail, request_id: (n * 2654435761).toString(16).padStart(12, '0'), at: Date.now() }));
  });
}

describe('auth.user-enumeration: per-request noise', () => {
  it('positive: the leak is found through request ids and timestamps', async () => {
    server = await noisyLogin(true);
    const report = await runScan({ target: `${server.url}/login`, rules: [userEnumeration], tier: 'quick', knownUser: 'alice' });
    expect(findingsOf(report)).toEqual(['auth.user-enumeration GET /login']);
  });

  it('negative: request ids and timestamps alone are not a difference', async () => {
    server = await noisyLogin(false);
    const report = await runScan({ target: `${server.url}/login`, rules: [userEnumeration], tier: 'quick', knownUser: 'alice' });
    expect(report.findings).toEqual([]);
  });
});
