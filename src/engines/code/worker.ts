import { parentPort, workerData } from 'node:worker_threads';
import { analyseFile } from './analyse-file.js';
import { pythonParser } from './python/parser.js';
import type { SourceRef } from './python/sources.js';
import { pack } from './transfer.js';

// One parsing thread: says when its parser is ready, then answers batches of files with summaries.
const { maxBytes, everything } = workerData as { maxBytes: number; everything: boolean };
parentPort?.on('message', (msg: { indexes: number[]; files: SourceRef[] }) => {
  void Promise.all(msg.files.map((f) => analyseFile(f, maxBytes, everything))).then((results) => parentPort?.postMessage({ indexes: msg.indexes, results: results.map(pack) }));
});
void pythonParser().then(() => parentPort?.postMessage('ready'));
