import { Worker } from 'node:worker_threads';
import { analyseFile, type FileResult } from './analyse-file.js';
import type { SourceRef } from './python/sources.js';

/**
 * Parses files on worker threads (tree-sitter is single-threaded per parser). Each worker gets
 * batches and sends back plain summaries. Falls back to this thread when workers cannot start
 * (for instance when running from TypeScript sources without a loader in the worker).
 */
export async function analyseInWorkers(files: SourceRef[], maxBytes: number, count: number): Promise<FileResult[]> {
  const results: FileResult[] = new Array<FileResult>(files.length);
  const batch = 16;
  let next = 0;
  const url = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
  const run = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(url, { workerData: { maxBytes } });
      const send = (): void => {
        if (next >= files.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const start = next;
        next = Math.min(files.length, next + batch);
        worker.postMessage({ start, files: files.slice(start, next) });
      };
      worker.on('message', (msg: { start: number; results: FileResult[] }) => {
        msg.results.forEach((r, i) => (results[msg.start + i] = r));
        send();
      });
      worker.once('error', reject);
      worker.once('online', send);
    });
  try {
    await Promise.all(Array.from({ length: count }, run));
  } catch {
    for (let i = 0; i < files.length; i++) results[i] ??= await analyseFile(files[i]!, maxBytes);
  }
  return results;
}
