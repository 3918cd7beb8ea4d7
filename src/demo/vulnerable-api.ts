import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A deliberately vulnerable Basic-auth API for `portcullis demo`. Every flaw is on purpose and
 * mirrors a mistake from the field: no failure logging, `===` password compare, a crash with a
 * stack trace on a malformed header, credentials echoed back, no throttling, a 401 without a
 * challenge, an unprotected admin route, decoded credentials kept forever and the password logged.
 * It only ever listens on 127.0.0.1.
 */

const USERS: Record<string, string> = { alice: 'wonderland-2024' };
// Deliberate: grows with every distinct credential and holds plaintext passwords.
const credentialStore = new Map<string, { password: string; raw: string }>();

const SPEC = {
  openapi: '3.0.3',
  info: { title: 'portcullis demo API (deliberately vulnerable)', version: '1.0.0' },
  components: { securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' } } },
  security: [{ basicAuth: [] }],
  paths: {
    '/api/items': { get: { summary: 'List items', responses: { '200': { description: 'items' }, '401': { description: 'unauthorized' } } } },
    '/api/items/{id}': {
      get: {
        summary: 'One item',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', example: 1 } }],
        responses: { '200': { description: 'item' } },
      },
    },
    '/admin/users': { get: { summary: 'Admin: list users', responses: { '200': { description: 'users' } } } },
    '/health': { get: { security: [], summary: 'Health', responses: { '200': { description: 'ok' } } } },
  },
};

function decodeBasic(header: string, log: (line: string) => void): { user: string; password: string } {
  const token = header.split(' ')[1]!;
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  if (!/^[A-Za-z0-9+/=]+$/.test(token)) throw new TypeError(`Invalid base64 token "${token}"`);
  const [user, password] = decoded.split(':') as [string, string];
  if (password === undefined) throw new RangeError(`Credential string has no separator: ${decoded}`);
  credentialStore.set(user, { password, raw: decoded });
  // Deliberate: the password goes to the log.
  log(`login attempt user=${user} password=${password}`);
  return { user, password };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(text);
}

function authenticate(req: IncomingMessage, res: ServerResponse, log: (line: string) => void): string | undefined {
  const header = req.headers.authorization;
  if (!header || !header.startsWith('Basic ')) {
    send(res, 401, { detail: 'Not authenticated' });
    return undefined;
  }
  const { user, password } = decodeBasic(header, log);
  if (USERS[user] === password) return user;
  send(res, 401, { detail: `Invalid credentials for ${user}:${password}` });
  return undefined;
}

function handle(req: IncomingMessage, res: ServerResponse, log: (line: string) => void): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  try {
    if (path === '/openapi.json') return send(res, 200, SPEC);
    if (path === '/health') return send(res, 200, { status: 'ok' });
    if (path === '/admin/users') return send(res, 200, { users: Object.keys(USERS), cached: credentialStore.size });
    if (path === '/api/items' || /^\/api\/items\/\d+$/.test(path)) {
      const user = authenticate(req, res, log);
      if (user) send(res, 200, { user, items: [{ id: 1, name: 'widget' }] });
      return;
    }
    send(res, 404, { detail: 'Not Found' });
  } catch (error) {
    // Deliberate: the stack trace goes to the client.
    send(res, 500, `Internal Server Error\n${(error as Error).stack ?? String(error)}`);
  }
}

export interface RunningApi {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

export interface VulnerableApiOptions {
  port?: number;
  /** Where the app's own (leaky) log goes. The standalone server logs to stdout for `probe`;
   *  `portcullis demo` keeps it away from stdout, where the report is printed. */
  log?: (line: string) => void;
}

export async function startVulnerableApi(options: VulnerableApiOptions = {}): Promise<RunningApi> {
  const log = options.log ?? (() => undefined);
  const server = createServer((req, res) => handle(req, res, log));
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
