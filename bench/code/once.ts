import { analyseProject } from '../../src/engines/code/engine.js';

// One end-to-end analysis in its own process, so peak RSS belongs to this run alone.
const target = process.argv[2]!;
const workers = Number(process.argv[3] ?? 2);
const started = performance.now();
const { report } = await analyseProject({ paths: [target], workers });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage();
console.log(
  JSON.stringify({
    lines: report.stats['lines'],
    files: report.stats['files'],
    parsedFiles: report.stats['parsedFiles'],
    findings: report.findings.length,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
