import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, startServer, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { DEFAULT_CREDENTIALS, defaultCredentials } from './default-credentials.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Basic-protected /api/me that accepts exactly these user:password pairs. */
function basicApi(accounts: Record<string, string>, options: { throttleAfter?: number } = {}) {
  let failures = 0;
  return startServer((req, res) => {
    const header = req.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString() : '';
    const split = decoded.indexOf(':');
    const ok = split > 0 && accounts[decoded.slice(0, split)] === decoded.slice(split + 1);
    // Failed logins count; requests without credentials do not.
    if (!ok && header && options.throttleAfter !== undefined && failures >= options.throttleAfter) {
      res.writeHead(429, { 'retry-after': '60' });
      return res.end();
    }
    if (!ok && header) failures++;
    res.writeHead(ok ? 200 : 401, ok ? { 'content-type': 'application/json' } : { 'www-authenticate': 'Basic realm="api"' });
    res.end(ok ? JSON.stringify({ user: decoded.slice(0, split) }) : '');
  });
}

describe('auth.default-credentials', () => {
  it('positive: a demo account admin:admin left in', async () => {
    server = await basicApi({ alice: 'correct-horse-battery', admin: 'admin' });
    const report = await runScan({ target: `${server.url}/api/me`, rules: [defaultCredentials], tier: 'quick' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['auth.default-credentials GET /api/me']);
    expect(report.findings[0]!.message).toContain('admin:admin');
  });

  it('positive: deeper tiers try more pairs (test:test is the fourth)', async () => {
    server = await basicApi({ test: 'test' });
    const quick = await runScan({ target: `${server.url}/api/me`, rules: [defaultCredentials], tier: 'quick' });
    expect(quick.findings).toEqual([]);
    const standard = await runScan({ target: `${server.url}/api/me`, rules: [defaultCredentials], tier: 'standard' });
    expect(findingsOf(standard)).toEqual(['auth.default-credentials GET /api/me']);
  });

  it('negative: only real accounts with real passwords; every pair of the list is tried at deep, once', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: `${server.url}/api/items`, rules: [defaultCredentials], tier: 'deep' });
    expect(report.findings).toEqual([]);
    const tried = server.requests.filter((r) => r.headers.authorization).map((r) => Buffer.from(r.headers.authorization!.slice(6), 'base64').toString());
    expect(tried.slice(1)).toEqual(DEFAULT_CREDENTIALS.map(([u, p]) => `${u}:${p}`));
  });

  it('negative: a server that lets any login in proves nothing about defaults (the control login gets in)', async () => {
    server = await startServer((req, res) => {
      const ok = (req.headers.authorization ?? '').startsWith('Basic ');
      res.writeHead(ok ? 200 : 401, ok ? {} : { 'www-authenticate': 'Basic realm="api"' });
      res.end();
    });
    const report = await runScan({ target: `${server.url}/api/me`, rules: [defaultCredentials], tier: 'deep' });
    expect(report.findings).toEqual([]);
    expect(server.requests.filter((r) => r.headers.authorization)).toHaveLength(1);
  });

  it('negative: throttled before the default pair comes up: stops, no finding', async () => {
    server = await basicApi({ guest: 'guest' }, { throttleAfter: 2 });
    const report = await runScan({ target: `${server.url}/api/me`, rules: [defaultCredentials], tier: 'deep' });
    expect(report.findings).toEqual([]);
    // The control, admin:admin, then the 429 for admin:password ends the series (guest:guest never sent).
    expect(server.requests.filter((r) => r.headers.authorization)).toHaveLength(3);
  });
});
