import { statSync } from 'node:fs';
import { startWorker } from '../../core/worker.js';
import type { FileResult } from './analyse-file.js';
import type { SourceRef } from './python/sources.js';
import { unpack } from './transfer.js';

const BATCH = 8;

/**
 * Parses files on worker threads (one tree-sitter parser per thread), in batches; each worker
 * sends back plain summaries. Rejects if a worker fails, so the caller can fall back.
 */
export async function analyseInWorkers(files: SourceRef[], maxBytes: number, count: number, everything = false): Promise<FileResult[]> {
  const results: FileResult[] = new Array<FileResult>(files.length);
  // Biggest files first, so no worker is left alone with a huge file at the end.
  const order = files.map((f, i) => ({ f, i, size: statSync(f.abs, { throwIfNoEntry: false })?.size ?? 0 })).sort((a, b) => b.size - a.size);
  let next = 0;
  const run = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = startWorker(import.meta.url, 'worker', { maxBytes, everything });
      const send = (): void => {
        if (next >= files.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const batch = order.slice(next, next + BATCH);
        next += batch.length;
        worker.postMessage({ indexes: batch.map((b) => b.i), files: batch.map((b) => b.f) });
      };
      worker.on('message', (msg: { indexes: number[]; results: FileResult[] } | 'ready') => {
        if (msg !== 'ready') msg.results.forEach((r, i) => (results[msg.indexes[i]!] = unpack(r)));
        send();
      });
      worker.once('error', (error) => {
        void worker.terminate();
        reject(error);
      });
    });
  await Promise.all(Array.from({ length: Math.min(count, Math.ceil(files.length / BATCH)) }, run));
  return results;
}
