import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { validateReport } from '../../src/core/report-schema.js';

/** Test servers for the scan engine: real HTTP(S) servers on 127.0.0.1, in this process. */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface LocalServer {
  url: string;
  requests: RecordedRequest[];
  close: () => Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

export async function startServer(handler: Handler, tls?: { key: string; cert: string }): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(599);
      res.end(String(error));
    });
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A throwaway self-signed certificate for 127.0.0.1 (openssl, valid two days). */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface AuthApiOptions {
  /** WWW-Authenticate on 401: none, `Basic`, `Basic realm="api"`, or a raw value. */
  challenge?: 'none' | 'basic' | 'basic-realm' | { raw: string };
  /** Decode credentials naively: 500 with a Node stack trace on malformed headers. */
  crashOnMalformed?: boolean;
  /** 401 body repeats the submitted user:password. */
  reflectCredentials?: boolean;
  /** 429 with Retry-After after this many failures (per username). */
  throttleAfter?: number;
  /** Different message for unknown users. */
  enumerationMessage?: boolean;
  /** Extra milliseconds spent on failed logins of existing users only. */
  knownUserDelayMs?: number;
  /** HEAD on protected paths skips authentication. */
  headBypass?: boolean;
  /** /admin/stats answers anyone. */
  publicAdmin?: boolean;
  /** Sent on every response. */
  headers?: Record<string, string>;
  /** Served at /openapi.json; default: a spec with /api/items (basic) and /health (public). */
  spec?: object | false;
  tls?: { key: string; cert: string };
}

export const USERS: Record<string, string> = { alice: 'correct-horse-battery' };

export const DEFAULT_SPEC = {
  openapi: '3.0.3',
  info: { title: 'test api', version: '1' },
  components: { securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' } } },
  security: [{ basicAuth: [] }],
  paths: {
    '/api/items': { get: { responses: { '200': { description: 'ok' } } } },
    '/api/items/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', example: 7 } }], responses: { '200': { description: 'ok' } } } },
    '/health': { get: { security: [], responses: { '200': { description: 'ok' } } } },
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small Basic-auth API whose flaws are switched on one by one. */
export function startAuthApi(options: AuthApiOptions = {}): Promise<LocalServer> {
  const failures = new Map<string, number>();
  const challenge = options.challenge ?? 'basic-realm';
  const challengeHeader: Record<string, string> =
    challenge === 'none' ? {} : challenge === 'basic' ? { 'www-authenticate': 'Basic' } : challenge === 'basic-realm' ? { 'www-authenticate': 'Basic realm="api", charset="UTF-8"' } : { 'www-authenticate': challenge.raw };
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...options.headers, ...headers });
    res.end(JSON.stringify(body));
  };

  async function authenticate(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
    const header = req.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'basic' || !token) {
      send(res, 401, { detail: 'Not authenticated' }, challengeHeader);
      return undefined;
    }
    let user: string;
    let password: string;
    if (options.crashOnMalformed) {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      if (!decoded.includes(':')) throw new RangeError(`no separator in ${decoded}`);
      [user, password] = decoded.split(':') as [string, string];
    } else {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      const split = decoded.indexOf(':');
      if (split < 0 || !/^[A-Za-z0-9+/]+=*$/.test(token)) {
        send(res, 401, { detail: 'Invalid credentials' }, challengeHeader);
        return undefined;
      }
      user = decoded.slice(0, split);
      password = decoded.slice(split + 1);
    }
    const count = failures.get(user) ?? 0;
    if (options.throttleAfter !== undefined && count >= options.throttleAfter) {
      send(res, 429, { detail: 'Too many failed logins' }, { 'retry-after': '60' });
      return undefined;
    }
    if (USERS[user] === password) return user;
    failures.set(user, count + 1);
    if (options.knownUserDelayMs && USERS[user] !== undefined) await sleep(options.knownUserDelayMs);
    const detail = options.reflectCredentials ? `Invalid credentials for ${user}:${password}` : options.enumerationMessage && USERS[user] === undefined ? 'Unknown user' : 'Invalid credentials';
    send(res, 401, { detail }, challengeHeader);
    return undefined;
  }

  return startServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    try {
      if (url.pathname === '/openapi.json' && options.spec !== false) return send(res, 200, options.spec ?? DEFAULT_SPEC);
      if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
      if (url.pathname === '/admin/stats' && options.publicAdmin) return send(res, 200, { users: 1 });
      if (url.pathname.startsWith('/api/items') || url.pathname.startsWith('/admin/')) {
        if (req.method === 'HEAD' && options.headBypass) return send(res, 200, {});
        if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { detail: 'Method Not Allowed' });
        const user = await authenticate(req, res);
        if (user) send(res, 200, { user, items: [1, 2] });
        return;
      }
      send(res, 404, { detail: 'Not Found' });
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain', ...options.headers });
      res.end(`Internal Server Error\n${(error as Error).stack}`);
    }
  }, options.tls);
}

/** Every JSON report a test produces is checked against the published schema. */
export function expectValidReport(report: Report): void {
  expect(validateReport(JSON.parse(JSON.stringify(report)))).toEqual([]);
}

/** Rule id and location of each finding, sorted, for exact assertions. */
export function findingsOf(report: Report, ruleId?: string): string[] {
  return report.findings
    .filter((f) => !ruleId || f.ruleId === ruleId)
    .map((f) => `${f.ruleId} ${f.location.method ?? ''} ${f.location.path ?? f.location.url ?? ''}`.replace(/\s+/g, ' ').trim())
    .sort();
}
