import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, startServer, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { malformedCredentialsCrash, malformedVariants } from './malformed-credentials-crash.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('auth.malformed-credentials-crash', () => {
  it('positive: a naive decoder answers 500 to malformed Basic headers', async () => {
    server = await startAuthApi({ crashOnMalformed: true });
    const report = await runScan({ target: server.url, rules: [malformedCredentialsCrash], tier: 'standard' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['auth.malformed-credentials-crash GET /api/items', 'auth.malformed-credentials-crash GET /api/items/{id}']);
    expect(report.findings[0]!.details?.['variants']).toEqual(expect.arrayContaining(['no colon']));
  });

  it('positive: a handler that lets malformed credentials through is critical', async () => {
    server = await startServer((req, res) => {
      const header = req.headers.authorization;
      // Checks only that the header is present and "looks like" Basic: garbage gets in.
      res.writeHead(header === undefined ? 401 : 200, { 'www-authenticate': 'Basic realm="x"' });
      res.end(header === undefined ? 'no' : 'secret data');
    });
    const report = await runScan({ target: `${server.url}/private`, rules: [malformedCredentialsCrash], tier: 'quick' });
    expect(findingsOf(report)).toEqual(['auth.malformed-credentials-crash GET /private']);
    expect(report.findings[0]!.severity).toBe('critical');
  });

  it('negative: a defensive decoder answers 401 to every variant', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [malformedCredentialsCrash], tier: 'deep' });
    expectValidReport(report);
    expect(report.findings).toEqual([]);
    const sent = server.requests.filter((r) => r.url === '/api/items').map((r) => r.headers.authorization);
    expect(sent).toEqual(expect.arrayContaining(['Basic', '']));
  });

  it('negative: the variants are distinct and never carry a real secret', () => {
    const variants = malformedVariants('pcanary0000');
    expect(new Set(variants.map((v) => v.value)).size).toBe(variants.length);
    expect(variants.map((v) => v.name)).toEqual(expect.arrayContaining(['no colon', 'invalid base64', 'non-UTF-8 bytes', 'empty', 'scheme only', 'wrong case', 'very long', 'NUL byte']));
  });
});
