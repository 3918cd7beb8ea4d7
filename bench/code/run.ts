import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';

/**
 * `npx tsx bench/code/run.ts [dir] [workers]`: portcullis code end to end over a large real Python
 * tree (default: Debian's dist-packages) next to `bandit -r` on the same tree, in the same run.
 * Prints lines/s, CPU time, peak RSS and the speed ratio. A benchmark, not a test: no assertions.
 */
const target = process.argv[2] ?? '/usr/lib/python3/dist-packages';
const workers = process.argv[3] ?? '2';
const TARGET_LINES_PER_SECOND = 100_000;
const RSS_LIMIT_MIB = 1024;

if (!existsSync(target)) {
  console.log(`bench code: ${target} does not exist`);
  process.exit(2);
}

// Other work on the machine slows the wall clock; the CPU figure below does not depend on it.
console.log(`machine       ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const once = path.join(import.meta.dirname, 'once.ts');
const run = spawnSync(process.execPath, ['--import', 'tsx', once, target, workers], { encoding: 'utf8', maxBuffer: 1 << 26 });
if (run.status !== 0) {
  console.log(`bench code: portcullis failed: ${run.stderr.trim().split('\n').at(-1) ?? ''}`);
  process.exit(1);
}
const ours = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
  lines: number; files: number; parsedFiles: number; findings: number; seconds: number; cpuSeconds: number; maxRssMiB: number;
};
const linesPerSecond = ours.lines / ours.seconds;
console.log(`target        ${target} (${ours.files} files, ${ours.lines} lines; ${ours.parsedFiles} files parsed, the rest read and deferred)`);
console.log(`portcullis    ${ours.seconds.toFixed(2)} s wall, ${ours.cpuSeconds.toFixed(2)} s CPU, ${workers} parser threads`);
console.log(`              ${Math.round(linesPerSecond)} lines/s end to end (target >= ${TARGET_LINES_PER_SECOND}: ${linesPerSecond >= TARGET_LINES_PER_SECOND ? 'met' : 'NOT met'})`);
console.log(`              ${Math.round((2 * ours.lines) / ours.cpuSeconds)} lines/s if 2 cores were ours alone (lines / CPU seconds x 2)`);
console.log(`              peak RSS ${ours.maxRssMiB.toFixed(0)} MiB (limit ${RSS_LIMIT_MIB}: ${ours.maxRssMiB < RSS_LIMIT_MIB ? 'met' : 'NOT met'}), ${ours.findings} findings`);

const bandit = spawnSync('/usr/bin/time', ['-f', '%e %M', 'bandit', '-r', target, '-f', 'json', '-o', '/dev/null', '-q'], { encoding: 'utf8', maxBuffer: 1 << 26 });
const timing = /(\d+(?:\.\d+)?) (\d+)\s*$/.exec(bandit.stderr ?? '');
if (bandit.error || !timing) {
  console.log(`bandit        could not run: ${bandit.error?.message ?? bandit.stderr?.trim().split('\n').at(-1) ?? 'no timing'}`);
} else {
  const seconds = Number(timing[1]);
  console.log(`bandit -r     ${seconds.toFixed(2)} s wall, peak RSS ${(Number(timing[2]) / 1024).toFixed(0)} MiB, ${Math.round(ours.lines / seconds)} lines/s`);
  console.log(`ratio         portcullis is ${(seconds / ours.seconds).toFixed(1)}x bandit's speed on the same tree`);
}
