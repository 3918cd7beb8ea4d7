import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, startServer, type LocalServer } from '../../../test/scan/servers.js';
import { HttpClient } from '../../http/client.js';
import { COMMON_PATHS, discover, specLinkInPage, WELL_KNOWN_SPECS } from './discover.js';
import { runScan } from './engine.js';

let server: LocalServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  server = client = undefined;
});

const json = (body: unknown) => ({ status: 200, type: 'application/json', body: JSON.stringify(body) });

async function site(pages: Record<string, { status: number; type: string; body: string }>) {
  server = await startServer((req, res) => {
    const page = pages[req.url ?? ''];
    res.writeHead(page?.status ?? 404, { 'content-type': page?.type ?? 'text/plain' });
    res.end(page?.body ?? 'not found');
  });
  client = new HttpClient({ origin: server.url });
  return server;
}

const warn = () => undefined;

describe('discover', () => {
  it('finds the spec a Swagger UI page at /docs links to', async () => {
    await site({
      '/docs': { status: 200, type: 'text/html', body: `<html><script>SwaggerUIBundle({ url: '/internal/spec-v1.json', dom_id: '#swagger-ui' })</script></html>` },
      '/internal/spec-v1.json': json(DEFAULT_SPEC),
    });
    const found = await discover(client!, new URL(server!.url), { specLocations: WELL_KNOWN_SPECS.length, warn });
    expect(found.specSource).toBe('/internal/spec-v1.json');
    expect(found.operations.map((o) => `${o.method} ${o.pathTemplate}`)).toEqual(['GET /', 'GET /api/items', 'GET /api/items/{id}', 'GET /health']);
  });

  it('looks under the target\'s own path first (an API mounted at /api)', async () => {
    await site({ '/api/openapi.json': json(DEFAULT_SPEC) });
    const found = await discover(client!, new URL(`${server!.url}/api`), { specLocations: 4, warn });
    expect(found.specSource).toBe('/api/openapi.json');
  });

  it('finds a ReDoc page\'s spec-url', () => {
    expect(specLinkInPage('<redoc spec-url="/v1/openapi.yaml"></redoc>')).toBe('/v1/openapi.yaml');
  });

  it('reads YAML at /openapi.yaml and skips JSON that is not a spec', async () => {
    await site({
      '/openapi.json': json({ status: 'ok' }),
      '/openapi.yaml': { status: 200, type: 'application/yaml', body: 'swagger: "2.0"\ninfo: {title: y, version: "1"}\npaths:\n  /things:\n    get:\n      responses: {"200": {description: ok}}\n' },
    });
    const found = await discover(client!, new URL(server!.url), { specLocations: WELL_KNOWN_SPECS.length, warn });
    expect(found.api?.format).toBe('swagger-2.0');
    expect(found.operations.map((o) => o.path)).toEqual(['/', '/things']);
  });

  it('without a spec: the target URL and the bounded list of common paths, nothing more', async () => {
    await site({});
    const found = await discover(client!, new URL(`${server!.url}/v1/`), { specLocations: 4, warn });
    expect(found.api).toBeUndefined();
    expect(found.operations.map((o) => o.path)).toEqual(['/v1/', ...COMMON_PATHS]);
    expect(server!.requests.map((r) => r.url)).toEqual([...WELL_KNOWN_SPECS.slice(0, 4).map((p) => `/v1${p}`), ...WELL_KNOWN_SPECS.slice(0, 4)]);
  });

  it('credentials in the target URL are used as Basic auth and never reported', async () => {
    await site({ '/': { status: 200, type: 'text/plain', body: 'ok' } });
    const report = await runScan({ target: server!.url.replace('http://', 'http://alice:url-secret-pw@'), tier: 'quick', rules: [] });
    expect(report.target).toBe(`${server!.url}/`);
    expect(JSON.stringify(report)).not.toContain('url-secret-pw');
    const expected = `Basic ${Buffer.from('alice:url-secret-pw').toString('base64')}`;
    expect(server!.requests.some((r) => r.headers.authorization === expected)).toBe(true);
  });
});
