import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, type LocalServer } from '../../../../../test/scan/servers.js';
import { renderReportFormats } from '../../../../../test/scan/formats.js';
import { runScan } from '../../engine.js';
import { malformedCredentialsCrash } from '../auth/malformed-credentials-crash.js';
import { credentialReflection } from './credential-reflection.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('exposure.credential-reflection', () => {
  it('positive: the 401 body repeats the submitted password', async () => {
    server = await startAuthApi({ reflectCredentials: true });
    const report = await runScan({ target: server.url, rules: [malformedCredentialsCrash, credentialReflection], tier: 'standard' });
    expectValidReport(report);
    expect(findingsOf(report, 'exposure.credential-reflection')).toEqual(['exposure.credential-reflection GET /api/items', 'exposure.credential-reflection GET /api/items/{id}']);
  });

  it('positive: the --auth password reflected is reported, and redacted in every format', async () => {
    server = await startAuthApi({ reflectCredentials: true });
    const report = await runScan({ target: server.url, rules: [credentialReflection], tier: 'quick', auth: 'basic:alice:not-the-password-42' });
    expect(findingsOf(report)).toEqual(['exposure.credential-reflection GET /api/items', 'exposure.credential-reflection GET /api/items/{id}']);
    for (const [format, text] of renderReportFormats(report)) {
      expect(text, format).not.toContain('not-the-password-42');
      expect(text, format).not.toContain(Buffer.from('alice:not-the-password-42').toString('base64'));
    }
  });

  it('negative: a generic message reflects nothing', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [malformedCredentialsCrash, credentialReflection], tier: 'standard', auth: 'basic:alice:wrong-password-99' });
    expect(report.findings).toEqual([]);
  });
});
