import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

// Child process of bench/watch/run.ts: reads one log with the given key cap (and on one thread, if asked)
// and prints its figures as JSON, so the peak RSS measured is this run's alone. It runs the built engine with
// plain node, as users do: plain JavaScript, as a TypeScript loader would put its hooks in every import of
// both threads and cost them CPU time users do not pay.
const dist = path.resolve(import.meta.dirname, '../../dist/engines/watch');
const { resolveWatchConfig } = await import(path.join(dist, 'config.js'));
const { runWatch } = await import(path.join(dist, 'engine.js'));
const [file, maxKeys, threads] = process.argv.slice(2);
const config = resolveWatchConfig(maxKeys && maxKeys !== '-' ? { maxKeys: Number(maxKeys) } : {});
const started = performance.now();
const cpu = process.cpuUsage();
const { report } = await runWatch({ inputs: [file], config, threaded: threads === '1' ? { fromBytes: Infinity } : undefined });
const seconds = (performance.now() - started) / 1000;
// CPU time of this process: on a machine shared with other work it says what the wall clock cannot.
const used = process.cpuUsage(cpu);
const cpuSeconds = (used.user + used.system) / 1e6;
// This thread's own CPU time (Linux: utime and stime of the main task, in clock ticks of 10 ms): with a
// parsing thread, what detection cost apart from parsing.
const task = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
const mainCpuSeconds = (Number(task[11]) + Number(task[12])) / 100;
console.log(
  JSON.stringify({
    events: report.stats['events'],
    seconds,
    cpuSeconds,
    mainCpuSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    trackedKeys: report.stats['trackedKeys'],
    evictions: report.stats['evictions'],
    findings: report.findings.map((f) => `${f.ruleId} ${f.location.path}`),
  }),
);
