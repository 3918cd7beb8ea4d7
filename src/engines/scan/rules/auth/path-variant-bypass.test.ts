import { afterEach, describe, expect, it } from 'vitest';
import { expectValidReport, findingsOf, startAuthApi, startServer, type LocalServer } from '../../../../../test/scan/servers.js';
import { runScan } from '../../engine.js';
import { pathVariantBypass, pathVariants } from './path-variant-bypass.js';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An exact-match auth check in front of a router that ignores case and trailing slashes. */
function exactMatchGuard() {
  return startServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/api/reports' && !req.headers.authorization) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="api"' });
      res.end();
      return;
    }
    if (path.toLowerCase().replace(/\/+$/, '') === '/api/reports') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"reports":[1,2,3]}');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"detail":"Not Found"}');
  });
}

describe('auth.path-variant-bypass', () => {
  it('positive: /api/reports/ slips past an exact-match check', async () => {
    server = await exactMatchGuard();
    const report = await runScan({ target: `${server.url}/api/reports`, rules: [pathVariantBypass], tier: 'quick' });
    expectValidReport(report);
    expect(findingsOf(report)).toEqual(['auth.path-variant-bypass GET /api/reports']);
    expect(report.findings[0]!.message).toContain('/api/reports/ (trailing slash)');
  });

  it('negative: a check on the route itself refuses every spelling', async () => {
    server = await startAuthApi({});
    const report = await runScan({ target: server.url, rules: [pathVariantBypass], tier: 'deep' });
    expect(report.findings).toEqual([]);
    expect(server.requests.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/items/', '/API/ITEMS', '/api//items', '/api/./items', '/api/items;x', '/api/item%73']));
  });

  it('negative: an SPA fallback page for unknown spellings is not the resource', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/api/reports') {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="api"' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html><body>app shell for ${req.url}</body></html>`);
    });
    const report = await runScan({ target: `${server.url}/api/reports`, rules: [pathVariantBypass], tier: 'deep' });
    expect(report.findings).toEqual([]);
  });

  it('negative: the variants keep the query string and never repeat the original path', () => {
    const variants = pathVariants('/api/items?limit=5');
    expect(variants.every((v) => v.path.endsWith('?limit=5') && v.path !== '/api/items?limit=5')).toBe(true);
    expect(pathVariants('/')).toEqual([]);
  });
});
