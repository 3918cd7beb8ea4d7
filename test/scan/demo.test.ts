import { afterEach, describe, expect, it } from 'vitest';
import { startVulnerableApi, type RunningApi } from '../../src/demo/vulnerable-api.js';
import { runScan } from '../../src/engines/scan/engine.js';
import { expectValidReport, findingsOf } from './servers.js';

let api: RunningApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('built-in demo API', () => {
  it('a scan with default options finds at least three distinct problems, at their operations', async () => {
    api = await startVulnerableApi();
    const report = await runScan({ target: api.url });
    expectValidReport(report);
    const rules = new Set(report.findings.map((f) => f.ruleId));
    expect(rules.size).toBeGreaterThanOrEqual(3);
    expect(findingsOf(report)).toEqual(
      expect.arrayContaining([
        'auth.missing-challenge GET /api/items',
        'auth.malformed-credentials-crash GET /api/items',
        'exposure.stack-trace GET /api/items',
        'exposure.credential-reflection GET /api/items',
        'auth.unprotected-endpoint GET /admin/users',
        'auth.no-brute-force-protection GET /api/items',
      ]),
    );
    expect(report.stats['spec']).toBe('openapi-3.0');
  });
});
