import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { runScan, type ScanOptions } from '../../src/engines/scan/engine.js';
import { startUvicorn, type RunningTarget } from '../helpers/processes.js';
import { expectValidReport, findingsOf } from './servers.js';

// The seed documents' apps (test/targets/seed_*.py, bugs kept), scanned as they are.

const running: RunningTarget[] = [];
afterAll(async () => {
  await Promise.all(running.map((t) => t.stop()));
});

async function scanApp(appRef: string, options: Omit<ScanOptions, 'target'> = {}): Promise<Report> {
  const target = await startUvicorn(appRef);
  running.push(target);
  try {
    const report = await runScan({ target: target.url, ...options });
    expectValidReport(report);
    return report;
  } finally {
    await target.stop();
  }
}

describe('seed 004: credential store (memory leak document)', () => {
  it('naive handler: crashes on malformed tokens in its `auth` header, accepts any password over plain http, no challenge', async () => {
    const report = await scanApp('seed_credential_store:app');
    expect(findingsOf(report)).toEqual([
      'auth.any-credentials-accepted GET /items',
      'auth.basic-cleartext GET /items',
      'auth.malformed-credentials-crash GET /items',
      'auth.missing-challenge GET /items',
      'headers.missing-nosniff GET /items',
    ]);
    const crash = report.findings.find((f) => f.ruleId === 'auth.malformed-credentials-crash')!;
    expect(crash.message).toContain('malformed auth headers');
    expect(crash.details?.['variants']).toEqual(['no colon', 'invalid base64', 'non-UTF-8 bytes']);
  });

  it('"safer pattern": no crash any more; the missing password check, the challenge and cleartext remain', async () => {
    const report = await scanApp('seed_credential_store_safe:app');
    expect(findingsOf(report)).toEqual(['auth.any-credentials-accepted GET /items', 'auth.basic-cleartext GET /items', 'auth.missing-challenge GET /items', 'headers.missing-nosniff GET /items']);
  });
});

describe('seed 000: logging and monitoring failures', () => {
  it('insufficient-logging example: HTTPBasic without realm, no throttling, Basic over http', async () => {
    const report = await scanApp('seed_logging_naive:app', { knownUser: 'alice' });
    expect(findingsOf(report)).toEqual([
      'auth.basic-cleartext GET /secure',
      'auth.missing-challenge GET /secure',
      'auth.no-brute-force-protection GET /secure',
      'headers.missing-nosniff GET /secure',
    ]);
    expect(report.findings.find((f) => f.ruleId === 'auth.missing-challenge')!.message).toContain('no realm');
  });

  it('structured-logging remediation: its lambda dependency turns every request into a 500, and nothing auth-related is reachable', async () => {
    const report = await scanApp('seed_logging_structured:app', { knownUser: 'alice' });
    expect(findingsOf(report)).toEqual(['exposure.server-error GET /secure']);
    expect(report.stats['operations']).toBe(2);
  });

  it('rate-limiting remediation as written mounts no route: nothing to find, nothing invented', async () => {
    const report = await scanApp('seed_rate_limited:app');
    expect(report.findings).toEqual([]);
    expect(report.stats['spec']).toBe('openapi-3.0');
  });
});
