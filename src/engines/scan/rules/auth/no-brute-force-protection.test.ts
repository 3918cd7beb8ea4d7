import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, type LocalServer } from '../../../../../test/scan/servers.js';
import type { HttpResponse } from '../../../../http/client.js';
import { runScan } from '../../engine.js';
import { noBruteForceProtection, PROBE_USER, throttlingIn } from './no-brute-force-protection.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const response = (status: number, elapsedMs = 5, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, body: '', bodyBytes: 0, elapsedMs, url: 'http://x/', redirects: [] });

describe('auth.no-brute-force-protection', () => {
  it('positive: 20 failed logins in a row, never throttled', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [noBruteForceProtection], tier: 'standard' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['auth.no-brute-force-protection GET /api/items']);
    const logins = server.requests.filter((r) => r.headers.authorization?.startsWith('Basic '));
    expect(logins).toHaveLength(20);
    expect(logins.every((r) => Buffer.from(r.headers.authorization!.slice(6), 'base64').toString().startsWith(`${PROBE_USER}:`))).toBe(true);
  });

  it('negative: a 429 with Retry-After after 5 failures stops the series', async () => {
    server = await startAuthApi({ throttleAfter: 5 });
    const report = await runScan({ target: server.url, rules: [noBruteForceProtection], tier: 'standard' });
    expect(report.findings).toEqual([]);
    expect(server.requests.filter((r) => r.headers.authorization?.startsWith('Basic '))).toHaveLength(6);
  });

  it('negative: the quick tier sends no login series', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [noBruteForceProtection], tier: 'quick' });
    expect(report.findings).toEqual([]);
    expect(server.requests.filter((r) => r.headers.authorization)).toHaveLength(0);
  });

  it('negative: a budget too small for a conclusive series skips the check with a warning', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [noBruteForceProtection], tier: 'standard', maxRequests: 12 });
    expect(report.findings).toEqual([]);
    expect(report.warnings.join('\n')).toMatch(/skipped|budget/);
  });

  it.each([
    ['a 429', [response(401), response(401), response(429)]],
    ['a Retry-After', [response(401), response(401, 5, { 'retry-after': '30' })]],
    ['a lockout', [response(401), response(401), response(403)]],
    ['a growing delay', [...Array.from({ length: 5 }, () => response(401, 10)), ...Array.from({ length: 5 }, () => response(401, 600))]],
  ])('negative: recognises %s as throttling', (_name, series) => {
    expect(throttlingIn(series)).toBeDefined();
  });

  it('positive: a flat series is not throttling', () => {
    expect(throttlingIn(Array.from({ length: 20 }, (_, i) => response(401, 5 + (i % 3))))).toBeUndefined();
  });
});
