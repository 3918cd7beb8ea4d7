import { parentPort, workerData } from 'node:worker_threads';
import { analyseFile } from './analyse-file.js';
import type { SourceRef } from './python/sources.js';

// One parsing thread: receives batches of files, answers with their summaries.
const { maxBytes } = workerData as { maxBytes: number };
parentPort?.on('message', (msg: { start: number; files: SourceRef[] }) => {
  void Promise.all(msg.files.map((f) => analyseFile(f, maxBytes))).then((results) => parentPort?.postMessage({ start: msg.start, results }));
});
