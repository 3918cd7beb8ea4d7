import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// The benchmark's target: a local API with 50 GET operations, 40 of them behind Basic auth. It runs
// in its own process (as a real API would), prints its URL on stdout and counts requests at /__count.

export const OPERATIONS = 50;
export const PASSWORD = 'bench-password';
const TOKEN = Buffer.from(`alice:${PASSWORD}`).toString('base64');

function spec() {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < OPERATIONS; i++) {
    paths[`/api/resource${i}/{id}`] = {
      get: {
        ...(i % 5 === 0 ? { security: [] } : {}),
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

let received = 0;

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
  };
  // The counter is the benchmark's own channel, not part of the API under test.
  if (url.pathname === '/__count') return send(200, { received });
  received++;
  if (url.pathname === '/openapi.json') return send(200, spec());
  const match = /^\/api\/resource(\d+)\/\d+$/.exec(url.pathname);
  if (!match) return send(404, { detail: 'Not Found' });
  if (Number(match[1]) % 5 === 0) return send(200, { public: true });
  if (req.headers.authorization !== `Basic ${TOKEN}`) return send(401, { detail: 'Invalid credentials' }, { 'www-authenticate': 'Basic realm="bench"' });
  send(200, { id: match[1] });
}

if (process.argv[1] === import.meta.filename) {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
