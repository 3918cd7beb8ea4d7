import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { runScan, type ScanOptions } from '../../src/engines/scan/engine.js';
import { startFlask, startUvicorn, type RunningTarget } from '../helpers/processes.js';
import { startHttpsUvicorn } from './python.js';
import { expectValidReport, findingsOf } from './servers.js';

// Apps written for the scan engine (test/targets/scan_*.py): one clean, the others flawed on purpose.

const running: RunningTarget[] = [];
afterAll(async () => {
  await Promise.all(running.map((t) => t.stop()));
});

async function scanTarget(start: () => Promise<RunningTarget>, options: Omit<ScanOptions, 'target'> = {}): Promise<Report> {
  const target = await start();
  running.push(target);
  try {
    const report = await runScan({ target: target.url, ...options });
    expectValidReport(report);
    return report;
  } finally {
    await target.stop();
  }
}

const ALICE = 'basic:alice:correct-horse-battery';

describe('scan targets', () => {
  it('clean app (FastAPI over HTTPS): no finding but its self-signed certificate, at every tier', async () => {
    for (const tier of ['quick', 'standard', 'deep'] as const) {
      const report = await scanTarget(() => startHttpsUvicorn('scan_clean:app'), { tier, auth: ALICE, knownUser: 'alice', insecure: true });
      expect(findingsOf(report), tier).toEqual(['tls.invalid-certificate /']);
      expect(report.stats['operationsProbed'], tier).toBe(5);
    }
  });

  it('sound auth, weak headers (FastAPI over HTTPS): HSTS and no-store missing, Basic over https is fine', async () => {
    const report = await scanTarget(() => startHttpsUvicorn('scan_https_headers:app'), { auth: ALICE, knownUser: 'alice', insecure: true });
    expect(findingsOf(report)).toEqual(['headers.missing-hsts GET /api/account', 'headers.missing-no-store GET /api/account', 'tls.invalid-certificate /']);
    expect(report.findings.find((f) => f.ruleId === 'headers.missing-hsts')!.message).toMatch(/^No Strict-Transport-Security header on 2 authenticated response/);
  });

  it('flawed Flask app: every flaw at its operation, spec read from /swagger.json (Swagger 2.0)', async () => {
    const report = await scanTarget(() => startFlask('scan_flaws:app'), { auth: ALICE, knownUser: 'alice' });
    expect(report.stats['spec']).toBe('swagger-2.0');
    expect(findingsOf(report)).toEqual([
      'auth.basic-cleartext GET /api/reports/{year}',
      'auth.default-credentials GET /api/profile',
      'auth.malformed-credentials-crash GET /api/profile',
      'auth.malformed-credentials-crash GET /api/reports/{year}',
      'auth.missing-challenge GET /api/profile',
      'auth.missing-challenge GET /api/reports/{year}',
      'auth.no-brute-force-protection GET /api/profile',
      'auth.unprotected-endpoint GET /admin/users',
      'auth.unprotected-endpoint HEAD /api/reports/{year}',
      'auth.user-enumeration GET /api/profile',
      'exposure.credential-reflection GET /api/profile',
      'exposure.stack-trace GET /api/profile',
      'exposure.stack-trace GET /api/reports/{year}',
      'headers.missing-no-store GET /api/profile',
      'headers.missing-nosniff GET /api/profile',
    ]);
    const text = JSON.stringify(report);
    expect(text).not.toContain('correct-horse-battery');
    expect(text).not.toContain(Buffer.from('alice:correct-horse-battery').toString('base64'));
  });

  it('timing leak only (FastAPI): the statistical test finds the slower failed logins of a real user', async () => {
    const report = await scanTarget(() => startUvicorn('scan_timing_leak:app'), { knownUser: 'alice' });
    expect(findingsOf(report, 'auth.user-enumeration')).toEqual(['auth.user-enumeration GET /api/me']);
    expect(report.findings.find((f) => f.ruleId === 'auth.user-enumeration')!.message).toMatch(/slower.*Mann-Whitney/);
  });

  it('timing leak fixed (TIMING_SAFE=1, dummy hash for unknown users): no enumeration finding', async () => {
    const report = await scanTarget(() => startUvicorn('scan_timing_leak:app', { env: { TIMING_SAFE: '1' } }), { knownUser: 'alice' });
    expect(findingsOf(report, 'auth.user-enumeration')).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('rate-limited remediation of seed 000 (route mounted): the brute-force series is throttled', async () => {
    const report = await scanTarget(() => startUvicorn('scan_rate_limited:app'), { knownUser: 'alice' });
    expect(findingsOf(report)).toEqual(['auth.basic-cleartext GET /secure', 'headers.missing-nosniff GET /secure']);
  });
});
