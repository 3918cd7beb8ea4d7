import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { AlertSink } from './index.js';
import type { AlertPayload } from './payload.js';

export const SIGNATURE_HEADER = 'x-portcullis-signature';
export const TIMESTAMP_HEADER = 'x-portcullis-timestamp';

/** `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` with the shared secret. */
export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute, compare in constant time, and refuse stale timestamps (replays). */
export function verifySignature(secret: string, timestamp: string, body: string, signature: string, toleranceS = 300, nowS = Date.now() / 1000): boolean {
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(signature);
  const fresh = Math.abs(nowS - Number(timestamp)) <= toleranceS;
  return fresh && expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookOptions {
  url: string;
  secret: string;
  retries: number;
  backoffMs: number;
  /** Alerts waiting beyond this are dropped, oldest first, and counted. */
  queue: number;
  timeoutMs?: number;
}

export interface WebhookCounters {
  delivered: number;
  failed: number;
  dropped: number;
}

/**
 * Posts each alert as a signed JSON body. `emit` only enqueues: one background loop delivers in order,
 * retrying with exponential backoff, so a slow or dead receiver never holds up ingestion.
 */
export function webhookSink(options: WebhookOptions, counters: WebhookCounters = { delivered: 0, failed: 0, dropped: 0 }): AlertSink & { counters: WebhookCounters } {
  const queue: string[] = [];
  let running: Promise<void> | undefined;
  const closing = new AbortController();

  async function deliver(body: string): Promise<boolean> {
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      if (attempt > 0) {
        // Backoff with jitter; cut short when the run ends, so shutdown is not held hostage.
        const delay = options.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
        await sleep(delay, undefined, { signal: closing.signal }).catch(() => undefined);
        if (closing.signal.aborted) return false;
      }
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const response = await request(options.url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signBody(options.secret, timestamp, body) },
          headersTimeout: options.timeoutMs ?? 5000,
          bodyTimeout: options.timeoutMs ?? 5000,
          signal: closing.signal,
        });
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) return true;
      } catch {
        // Refused, reset or timed out: retried like a 5xx.
      }
    }
    return false;
  }

  async function loop(): Promise<void> {
    for (let body = queue.shift(); body !== undefined; body = queue.shift()) {
      if (await deliver(body)) counters.delivered++;
      else counters.failed++;
    }
    running = undefined;
  }

  return {
    counters,
    emit(payload: AlertPayload) {
      if (queue.length >= options.queue) {
        queue.shift();
        counters.dropped++;
      }
      queue.push(JSON.stringify(payload));
      running ??= loop();
    },
    /** Waits up to `graceMs` for the queue to empty, then gives up on the rest (counted as failed). */
    async close(graceMs = 5000) {
      if (running) {
        const stopTimer = new AbortController();
        const timer = sleep(graceMs, 'timeout' as const, { signal: stopTimer.signal }).catch(() => 'done' as const);
        const outcome = await Promise.race([running.then(() => 'done' as const), timer]);
        stopTimer.abort();
        if (outcome === 'timeout') {
          closing.abort();
          await running;
        }
      }
      counters.failed += queue.length;
      queue.length = 0;
    },
  };
}
