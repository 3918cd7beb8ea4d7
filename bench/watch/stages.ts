import { createReadStream } from 'node:fs';
import path from 'node:path';

// Child process of bench/watch/run.ts: the CPU time of the first stages of the one-thread pipeline on one file
// (the built engine), so that run's time can be split into reading and splitting lines, parsing and mapping,
// and detection.
const dist = path.resolve(import.meta.dirname, '../../dist/engines/watch');
const { resolveWatchConfig } = (await import(path.join(dist, 'config.js'))) as typeof import('../../src/engines/watch/config.js');
const { createParsers } = (await import(path.join(dist, 'parsers/index.js'))) as typeof import('../../src/engines/watch/parsers/index.js');
const { LineSplitter } = (await import(path.join(dist, 'sources/lines.js'))) as typeof import('../../src/engines/watch/sources/lines.js');
const [file, stage] = process.argv.slice(2) as [string, 'split' | 'parse'];
const config = resolveWatchConfig({});
const json = createParsers(config).json;
let events = 0;
const splitter = new LineSplitter(config.maxLineBytes, {
  line: stage === 'parse' ? (bytes, start, end) => void (typeof json(bytes.toString('utf8', start, end)) === 'object' && events++) : (bytes, start, end) => void (bytes.toString('utf8', start, end).length >= 0 && events++),
  oversized: () => undefined,
});
const cpu = process.cpuUsage();
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) splitter.push(chunk as Buffer);
splitter.end();
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ events, cpuSeconds: (used.user + used.system) / 1e6 }));
