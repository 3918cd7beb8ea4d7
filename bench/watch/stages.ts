import { createReadStream } from 'node:fs';
import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { createParsers } from '../../src/engines/watch/parsers/index.js';
import { LineSplitter } from '../../src/engines/watch/sources/lines.js';

// Child process of bench/watch/run.ts: the CPU time of the first stages of the pipeline on one file, so the
// full run's time can be split into reading and splitting lines, parsing and mapping, and detection.
const [file, stage] = process.argv.slice(2) as [string, 'split' | 'parse'];
const config = resolveWatchConfig({});
const json = createParsers(config).json;
let events = 0;
const splitter = new LineSplitter(config.maxLineBytes, {
  line: stage === 'parse' ? (text) => void (typeof json(text) === 'object' && events++) : () => void events++,
  oversized: () => undefined,
});
const cpu = process.cpuUsage();
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) splitter.push(chunk as Buffer);
splitter.end();
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ events, cpuSeconds: (used.user + used.system) / 1e6 }));
