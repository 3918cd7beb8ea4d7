import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { runWatch } from '../../src/engines/watch/engine.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signBody, verifySignature, webhookSink } from '../../src/engines/watch/sinks/webhook.js';
import { PYTHON, ROOT, startProcess } from '../helpers/processes.js';
import { generate, renderLog } from './generator.js';

const SECRET = 'test-secret-4b1d';
const dir = mkdtempSync(path.join(tmpdir(), 'watch-hook-'));
const file = path.join(dir, 'attacked.json.log');
writeFileSync(file, renderLog(generate({ seed: 9 }), 'json'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Receiver {
  url: string;
  received: { verified: boolean; body: Record<string, unknown> }[];
  close: () => Promise<void>;
}

/** A local receiver that verifies each signature as a user's would; `answer` picks the status per request. */
async function receiver(answer: (n: number) => number = () => 204): Promise<Receiver> {
  const received: Receiver['received'] = [];
  let n = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const status = answer(n++);
      if (status < 300) {
        const verified = verifySignature(SECRET, String(req.headers[TIMESTAMP_HEADER]), body, String(req.headers[SIGNATURE_HEADER]));
        received.push({ verified, body: JSON.parse(body) as Record<string, unknown> });
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('webhook sink', () => {
  it('signs HMAC-SHA256 over timestamp.body, and verification refuses tampering and replays', () => {
    const body = '{"a":1}';
    const signature = signBody(SECRET, '1714564800', body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, '1714564800', body, signature, 300, 1714564800)).toBe(true);
    expect(verifySignature(SECRET, '1714564800', '{"a":2}', signature, 300, 1714564800)).toBe(false);
    expect(verifySignature('other', '1714564800', body, signature, 300, 1714564800)).toBe(false);
    expect(verifySignature(SECRET, '1714564800', body, signature, 300, 1714564800 + 3600)).toBe(false);
  });

  it('delivers every alert, signed, to a live receiver', async () => {
    const hook = await receiver();
    try {
      const sink = webhookSink({ url: hook.url, secret: SECRET, retries: 3, backoffMs: 10, queue: 100 });
      const { report } = await runWatch({ inputs: [file], config: resolveWatchConfig({}), sinks: [sink] });
      await sink.close();
      expect(sink.counters).toEqual({ delivered: hook.received.length, failed: 0, dropped: 0 });
      expect(hook.received.every((r) => r.verified)).toBe(true);
      const fresh = hook.received.filter((r) => r.body['change'] === 'new').map((r) => r.body['rule']);
      expect(fresh.sort()).toEqual(report.findings.map((f) => f.ruleId).sort());
    } finally {
      await hook.close();
    }
  });

  it('retries with backoff when the receiver fails', async () => {
    const hook = await receiver((n) => (n < 2 ? 503 : 204));
    try {
      const sink = webhookSink({ url: hook.url, secret: SECRET, retries: 3, backoffMs: 10, queue: 100 });
      sink.emit({ type: 'alert', change: 'new', id: 'x', rule: 'watch.brute-force', severity: 'medium', level: 1, subject: 'ip', key: '203.0.113.1', count: 11, metric: 11, threshold: 10, window: '5m', firstSeen: '', lastSeen: '', message: 'm', samples: [], details: {} });
      await sink.close();
      expect(sink.counters.delivered).toBe(1);
      expect(hook.received).toHaveLength(1);
      expect(hook.received[0]!.verified).toBe(true);
    } finally {
      await hook.close();
    }
  });

  it('a receiver that is down never blocks ingestion; undelivered alerts are counted', async () => {
    const down = await receiver();
    await down.close();
    const sink = webhookSink({ url: down.url, secret: SECRET, retries: 2, backoffMs: 50, queue: 3 });
    const { report } = await runWatch({ inputs: [file], config: resolveWatchConfig({}), sinks: [sink] });
    // The whole log was read and every alert found while deliveries were still pending.
    expect(report.findings).toHaveLength(6);
    expect(sink.counters.delivered).toBe(0);
    await sink.close(2000);
    expect(sink.counters.delivered).toBe(0);
    expect(sink.counters.failed + sink.counters.dropped).toBeGreaterThanOrEqual(6);
    expect(sink.counters.dropped).toBeGreaterThan(0);
  });

  it('a Python receiver using the verification recipe of docs/watch.md accepts every alert, and refuses a wrong secret', async () => {
    const script = path.join(import.meta.dirname, 'targets/webhook_receiver.py');
    const recipe = /```python\n[\s\S]*?(def verify[\s\S]*?)```/.exec(readFileSync(path.join(ROOT, 'docs/watch.md'), 'utf8'))![1]!;
    expect(readFileSync(script, 'utf8')).toContain(recipe);
    const python = await startProcess(PYTHON, [script, '{port}'], { env: { PORTCULLIS_WEBHOOK_SECRET: SECRET } });
    try {
      const url = `${python.url}/hook`;
      const good = webhookSink({ url, secret: SECRET, retries: 0, backoffMs: 10, queue: 100 });
      const bad = webhookSink({ url, secret: 'not-the-secret', retries: 1, backoffMs: 10, queue: 100 });
      const { report } = await runWatch({ inputs: [file], config: resolveWatchConfig({}), sinks: [good, bad] });
      await Promise.all([good.close(), bad.close()]);
      const lines = python.output().trim().split('\n').map((l) => JSON.parse(l) as { verified: boolean; alert: { change: string; rule: string } });
      const verified = lines.filter((l) => l.verified);
      expect(good.counters).toEqual({ delivered: verified.length, failed: 0, dropped: 0 });
      expect(verified.filter((l) => l.alert.change === 'new').map((l) => l.alert.rule).sort()).toEqual(report.findings.map((f) => f.ruleId).sort());
      expect(bad.counters.delivered).toBe(0);
      expect(bad.counters.failed).toBe(verified.length);
      expect(lines.length - verified.length).toBe(2 * verified.length);
    } finally {
      await python.stop();
    }
  });
});
