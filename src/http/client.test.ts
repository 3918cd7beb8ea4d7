import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate, startServer, type LocalServer } from '../../test/scan/servers.js';
import { Redactor } from '../core/redact.js';
import { HttpClient, type HttpClientOptions } from './client.js';
import { BudgetExhaustedError, DeadlineError, MethodRefusedError } from './errors.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function serve(handler: Parameters<typeof startServer>[0], tls?: { key: string; cert: string }): Promise<LocalServer> {
  const server = await startServer(handler, tls);
  cleanups.push(server.close);
  return server;
}

function client(origin: string, options: Partial<HttpClientOptions> = {}): HttpClient {
  const c = new HttpClient({ origin, ...options });
  cleanups.push(() => c.close());
  return c;
}

describe('HttpClient', () => {
  it('reads a body, records the exchange and counts the request', async () => {
    const server = await serve((_req, res) => res.end('hello'));
    const c = client(server.url);
    const exchange = await c.request({ path: '/x?y=1', tag: 'test' });
    expect(exchange.response?.status).toBe(200);
    expect(exchange.response?.body).toBe('hello');
    expect(c.sent).toBe(1);
    expect(c.exchanges()).toHaveLength(1);
    expect(server.requests[0]!.url).toBe('/x?y=1');
  });

  it('caps the body while streaming and says so', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 64; i++) res.write(Buffer.alloc(64 * 1024, 97));
      res.end();
    });
    const exchange = await client(server.url, { bodyCap: 100_000 }).request({ path: '/' });
    expect(exchange.response?.truncated).toBe('size');
    expect(exchange.response?.bodyBytes).toBe(100_000);
    expect(exchange.response?.body.length).toBe(100_000);
  });

  it('caps the decoded size of a gzip bomb (1 GiB of zeros in about 1 MiB)', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
      // The same 64 MiB bomb 16 times over: a valid multi-member gzip stream of 1 GiB decoded.
      for (let i = 0; i < 16; i++) res.write(bomb);
      res.end();
    });
    const before = process.memoryUsage().rss;
    const exchange = await client(server.url).request({ path: '/' });
    expect(exchange.response?.truncated).toBe('size');
    expect(exchange.response?.bodyBytes).toBe(1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('gives up on a response that never ends, keeping what came', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first bytes');
      // never ends
    });
    const exchange = await client(server.url, { timeoutMs: 400 }).request({ path: '/' });
    expect(exchange.response?.truncated).toBe('timeout');
    expect(exchange.response?.body).toBe('first bytes');
  });

  it('times out a server that never answers', async () => {
    const server = await serve(() => undefined);
    const exchange = await client(server.url, { timeoutMs: 300 }).request({ path: '/' });
    expect(exchange.error?.kind).toBe('timeout');
  });

  it('follows same-origin redirects, stops at the hop limit, and never leaves the origin', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/a') res.writeHead(302, { location: '/b' }).end();
      else if (req.url === '/b') res.writeHead(200).end('landed');
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else if (req.url === '/away') res.writeHead(302, { location: 'http://198.51.100.1/steal' }).end();
      else res.writeHead(404).end();
    });
    const c = client(server.url, { maxRedirects: 3 });
    const followed = await c.request({ path: '/a' });
    expect(followed.response?.body).toBe('landed');
    expect(followed.response?.redirects).toEqual([`${server.url}/b`]);
    const loop = await c.request({ path: '/loop' });
    expect(loop.error?.kind).toBe('redirect-limit');
    expect(server.requests.filter((r) => r.url === '/loop')).toHaveLength(4);
    const away = await c.request({ path: '/away' });
    expect(away.response?.status).toBe(302);
    expect(away.response?.offOriginRedirect).toBe('http://198.51.100.1/steal');
  });

  it('refuses methods that change state unless opted in', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      await expect(client(server.url).request({ method, path: '/' })).rejects.toBeInstanceOf(MethodRefusedError);
    }
    expect(server.requests).toEqual([]);
    const opted = await client(server.url, { allowUnsafeMethods: true }).request({ method: 'POST', path: '/' });
    expect(opted.response?.status).toBe(200);
  });

  it('refuses other origins', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    await expect(client(server.url).request({ path: 'http://198.51.100.1/' })).rejects.toThrow(/out of scope/);
  });

  it('stops at the request budget, counting redirect hops', async () => {
    const server = await serve((req, res) => (req.url === '/r' ? res.writeHead(302, { location: '/' }).end() : res.end('ok')));
    const c = client(server.url, { maxRequests: 3 });
    await c.request({ path: '/r' });
    await c.request({ path: '/' });
    await expect(c.request({ path: '/' })).rejects.toBeInstanceOf(BudgetExhaustedError);
    expect(server.requests).toHaveLength(3);
  });

  it('stops at the total time cap', async () => {
    const server = await serve((_req, res) => setTimeout(() => res.end('late'), 2000));
    const c = client(server.url, { maxDurationMs: 300, timeoutMs: 5000 });
    await expect(c.request({ path: '/' })).rejects.toBeInstanceOf(DeadlineError);
  });

  it('never has more requests in flight per host than the concurrency', async () => {
    let active = 0;
    let peak = 0;
    const server = await serve((_req, res) => {
      active++;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active--;
        res.end('ok');
      }, 30);
    });
    const c = client(server.url, { concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => c.request({ path: '/' })));
    expect(peak).toBe(3);
  });

  it('redacts credentials in the recording', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const redactor = new Redactor().add('s3cr3t-token');
    const c = client(server.url, { redactor });
    await c.request({ path: '/', headers: { authorization: 'Bearer s3cr3t-token', cookie: 'session=abc123', 'x-custom': 'has s3cr3t-token inside' } });
    const recorded = JSON.stringify(c.exchanges());
    expect(recorded).not.toContain('s3cr3t-token');
    expect(recorded).not.toContain('abc123');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer s3cr3t-token');
  });

  it('classifies refused connections, non-HTTP services and TLS failures', async () => {
    const refused = await client('http://127.0.0.1:1').request({ path: '/' });
    expect(refused.error?.kind).toBe('refused');

    const sockets = new Set<Socket>();
    const garbage: NetServer = createNetServer((socket) => {
      sockets.add(socket);
      socket.end('SSH-2.0-OpenSSH_9.6\r\nnot http at all\r\n');
    });
    await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise((r) => {
          for (const socket of sockets) socket.destroy();
          garbage.close(() => r());
        }),
    );
    const port = (garbage.address() as { port: number }).port;
    const notHttp = await client(`http://127.0.0.1:${port}`).request({ path: '/' });
    expect(notHttp.error?.kind).toBe('not-http');

    const tlsServer = await serve((_req, res) => res.end('ok'), selfSignedCertificate());
    const strict = await client(tlsServer.url).request({ path: '/' });
    expect(strict.error?.kind).toBe('tls');
    expect((await client(tlsServer.url).checkCertificate()).valid).toBe(false);
    const insecure = await client(tlsServer.url, { insecure: true }).request({ path: '/' });
    expect(insecure.response?.body).toBe('ok');
  });
});

describe('HttpClient raw paths', () => {
  it('sends a raw path byte for byte, and refuses one that is not a path', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const c = client(server.url);
    const exchange = await c.request({ path: '/api/./items/../items;x', rawPath: true });
    expect(server.requests[0]!.url).toBe('/api/./items/../items;x');
    expect(exchange.url).toBe(`${server.url}/api/./items/../items;x`);
    await expect(c.request({ path: 'http://198.51.100.1/x', rawPath: true })).rejects.toThrow(/raw path/);
  });
});
