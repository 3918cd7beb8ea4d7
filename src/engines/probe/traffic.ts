import { Pool } from 'undici';
import { describeError } from '../../core/errors.js';

export interface Exchange {
  status?: number;
  /** The start of the response body (single requests only), for tracebacks sent to the client. */
  body?: string;
  error?: string;
  sentAt: number;
  doneAt: number;
}

export interface BulkResult {
  sent: number;
  completed: number;
  statuses: Record<string, number>;
  errors: number;
  stoppedBy?: 'deadline' | 'app-exit' | 'abort';
}

const BODY_CAP = 4096;

/**
 * The only way probe talks to the app: a bounded keep-alive pool to one origin, GET only,
 * per-request timeouts, bodies capped (single requests) or discarded (bulk).
 */
export class Traffic {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    url: URL,
    readonly connections = 8,
    timeoutMs = 10_000,
  ) {
    this.pool = new Pool(url.origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: { timeout: timeoutMs },
    });
    this.path = `${url.pathname}${url.search}`;
  }

  async send(headers: Record<string, string>): Promise<Exchange> {
    const sentAt = Date.now();
    try {
      const response = await this.pool.request({ path: this.path, method: 'GET', headers });
      const body = await readCapped(response.body);
      return { status: response.statusCode, body, sentAt, doneAt: Date.now() };
    } catch (error) {
      return { error: describeError(error), sentAt, doneAt: Date.now() };
    }
  }

  /**
   * Sends `count` requests, `concurrency` at a time, stopping early at the deadline or when
   * `shouldStop` says so. `onResponse` runs after each completed request with its index.
   */
  async bulk(
    count: number,
    headersFor: (i: number) => Record<string, string>,
    options: { deadline: number; shouldStop?: () => BulkResult['stoppedBy'] | undefined; onResponse?: (done: number) => void },
  ): Promise<BulkResult> {
    const result: BulkResult = { sent: 0, completed: 0, statuses: {}, errors: 0 };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count && result.stoppedBy === undefined) {
        if (Date.now() >= options.deadline) result.stoppedBy = 'deadline';
        const stop = options.shouldStop?.();
        if (stop) result.stoppedBy = stop;
        if (result.stoppedBy) break;
        const i = next++;
        result.sent++;
        try {
          const response = await this.pool.request({ path: this.path, method: 'GET', headers: headersFor(i) });
          await response.body.dump();
          const key = String(response.statusCode);
          result.statuses[key] = (result.statuses[key] ?? 0) + 1;
        } catch {
          result.errors++;
        }
        result.completed++;
        options.onResponse?.(result.completed);
      }
    };
    await Promise.all(Array.from({ length: this.connections }, worker));
    return result;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy: () => void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= BODY_CAP) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, BODY_CAP);
}
