import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, type LocalServer } from '../../../../../test/scan/servers.js';
import { parseChallenges } from '../../auth-surface.js';
import { runScan } from '../../engine.js';
import { missingChallenge } from './missing-challenge.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function scan(options: Parameters<typeof startAuthApi>[0]) {
  server = await startAuthApi(options);
  const report = await runScan({ target: server.url, rules: [missingChallenge], tier: 'quick' });
  expectValidReport(report);
  return report;
}

describe('auth.missing-challenge', () => {
  it('positive: 401 without WWW-Authenticate on every secured operation', async () => {
    const report = await scan({ challenge: 'none' });
    expect(findingsOf(report)).toEqual(['auth.missing-challenge GET /api/items', 'auth.missing-challenge GET /api/items/{id}']);
    expect(report.findings[0]!.severity).toBe('medium');
  });

  it('positive: a Basic challenge without realm is reported as low', async () => {
    const report = await scan({ challenge: 'basic' });
    expect(findingsOf(report)).toEqual(['auth.missing-challenge GET /api/items', 'auth.missing-challenge GET /api/items/{id}']);
    expect(report.findings.every((f) => f.severity === 'low' && f.message.includes('no realm'))).toBe(true);
  });

  it('positive: a challenge that breaks the grammar', async () => {
    const report = await scan({ challenge: { raw: 'realm="api"' } });
    expect(report.findings.map((f) => f.message)).toEqual([expect.stringContaining('malformed challenge'), expect.stringContaining('malformed challenge')]);
  });

  it('negative: Basic with a realm, and public operations, give nothing', async () => {
    const report = await scan({ challenge: 'basic-realm' });
    expect(report.findings).toEqual([]);
  });

  it.each([
    ['Basic realm="api"', [{ scheme: 'basic', params: { realm: 'api' } }]],
    ['Basic realm="a, b", charset=UTF-8', [{ scheme: 'basic', params: { realm: 'a, b', charset: 'UTF-8' } }]],
    ['Bearer', [{ scheme: 'bearer', params: {} }]],
    ['Newauth realm="apps", type=1, Basic realm="simple"', [{ scheme: 'newauth', params: { realm: 'apps', type: '1' } }, { scheme: 'basic', params: { realm: 'simple' } }]],
    ['Negotiate abc123==', [{ scheme: 'negotiate', params: {} }]],
  ])('negative: parses the valid challenge %s', (header, expected) => {
    expect(parseChallenges(header)).toEqual(expected);
  });

  it.each(['', 'realm="x"', 'Basic "quoted"', '=Basic'])('positive: rejects the malformed challenge %j', (header) => {
    expect(parseChallenges(header)).toBeUndefined();
  });
});
