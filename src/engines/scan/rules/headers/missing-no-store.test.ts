import { afterEach, describe, expect, it } from 'vitest';
import { USERS, expectValidReport, findingsOf, startAuthApi, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { forbidsStorage, missingNoStore } from './missing-no-store.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const auth = `basic:alice:${USERS['alice']}`;

describe('headers.missing-no-store', () => {
  it('positive: authenticated answers without Cache-Control: no-store', async () => {
    server = await startAuthApi({ headers: { 'cache-control': 'max-age=600' } });
    const report = await runScan({ target: server.url, rules: [missingNoStore], tier: 'quick', auth });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['headers.missing-no-store GET /api/items']);
    expect(report.findings[0]!.details?.['paths']).toEqual(['/api/items', '/api/items/7']);
  });

  it('negative: no-store on every response', async () => {
    server = await startAuthApi({ headers: { 'cache-control': 'private, no-store' } });
    const report = await runScan({ target: server.url, rules: [missingNoStore], tier: 'quick', auth });
    expect(report.findings).toEqual([]);
  });

  it('negative: without credentials there is no authenticated answer to judge', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [missingNoStore], tier: 'quick' });
    expect(report.findings).toEqual([]);
  });

  it.each([
    ['no-store', true],
    ['private, no-store, max-age=0', true],
    ['no-cache', false],
    ['public, max-age=60', false],
    ['x-no-store-ish', false],
  ])('negative/positive: Cache-Control %j forbids storage: %s', (value, expected) => {
    expect(forbidsStorage(value)).toBe(expected);
  });
});
