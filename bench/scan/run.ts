import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runScan } from '../../src/engines/scan/engine.js';
import type { Tier } from '../../src/engines/scan/tiers.js';

// `npx tsx bench/scan/run.ts`: scans a local API with 50 operations at each tier and prints wall
// time and request counts. Targets: quick < 2 s, standard < 10 s on a 2-core machine.

const OPERATIONS = 50;
const PASSWORD = 'bench-password';
const TOKEN = Buffer.from(`alice:${PASSWORD}`).toString('base64');

function spec() {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < OPERATIONS; i++) {
    const isPublic = i % 5 === 0;
    paths[`/api/resource${i}/{id}`] = {
      get: {
        ...(isPublic ? { security: [] } : {}),
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', example: 7 } }],
        responses: { '200': { description: 'ok' } },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'bench', version: '1' },
    components: { securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' } } },
    security: [{ basicAuth: [] }],
    paths,
  };
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
  };
  if (url.pathname === '/openapi.json') return send(200, spec());
  const match = /^\/api\/resource(\d+)\/\d+$/.exec(url.pathname);
  if (!match) return send(404, { detail: 'Not Found' });
  if (Number(match[1]) % 5 === 0) return send(200, { public: true });
  if (req.headers.authorization !== `Basic ${TOKEN}`) return send(401, { detail: 'Invalid credentials' }, { 'www-authenticate': 'Basic realm="bench"' });
  send(200, { id: match[1] });
}

const server = createServer(handler);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
let received = 0;
server.on('request', () => received++);

const LIMITS: Record<Tier, number> = { quick: 2_000, standard: 10_000, deep: Number.POSITIVE_INFINITY };
console.log(`local API: ${OPERATIONS} operations (${OPERATIONS - OPERATIONS / 5} secured with Basic), ${url}`);
console.log('tier       wall ms   requests   findings   target');
let failed = false;
for (const tier of ['quick', 'standard', 'deep'] as const) {
  received = 0;
  const started = performance.now();
  const report = await runScan({ target: url, tier, auth: `basic:alice:${PASSWORD}`, knownUser: 'alice' });
  const wall = performance.now() - started;
  const ok = wall < LIMITS[tier];
  if (!ok) failed = true;
  const target = Number.isFinite(LIMITS[tier]) ? `< ${LIMITS[tier] / 1000} s ${ok ? 'ok' : 'MISSED'}` : '(no target)';
  console.log(`${tier.padEnd(10)} ${wall.toFixed(0).padStart(7)}   ${String(report.stats['requests']).padStart(8)}   ${String(report.findings.length).padStart(8)}   ${target}`);
  if (received !== report.stats['requests']) console.log(`  note: server saw ${received} requests`);
}
server.closeAllConnections();
server.close();
process.exitCode = failed ? 1 : 0;
