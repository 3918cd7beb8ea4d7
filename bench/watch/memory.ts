import { resolveWatchConfig } from '../../src/engines/watch/config.js';
import { runWatch } from '../../src/engines/watch/engine.js';

// Child process of bench/watch/run.ts: reads one log with the given key cap and prints its figures as JSON,
// so the peak RSS measured is this run's alone.
const [file, maxKeys] = process.argv.slice(2);
const config = resolveWatchConfig(maxKeys ? { maxKeys: Number(maxKeys) } : {});
const started = performance.now();
const cpu = process.cpuUsage();
const { report } = await runWatch({ inputs: [file!], config });
const seconds = (performance.now() - started) / 1000;
// CPU time of this process: on a machine shared with other work it says what the wall clock cannot.
const used = process.cpuUsage(cpu);
const cpuSeconds = (used.user + used.system) / 1e6;
console.log(
  JSON.stringify({
    events: report.stats['events'],
    seconds,
    cpuSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    trackedKeys: report.stats['trackedKeys'],
    evictions: report.stats['evictions'],
    findings: report.findings.map((f) => `${f.ruleId} ${f.location.path}`),
  }),
);
