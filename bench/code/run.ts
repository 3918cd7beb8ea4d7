import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

/**
 * `npx tsx bench/code/run.ts [dir] [workers]`: the built `portcullis code` end to end over a large
 * real Python tree (default: Debian's dist-packages) next to `bandit -r` on the same tree, in the
 * same run. Prints lines/s, CPU time, peak RSS and the speed ratio. A benchmark: no assertions.
 */
const target = process.argv[2] ?? '/usr/lib/python3/dist-packages';
const workers = process.argv[3] ?? '2';
const TARGET_LINES_PER_SECOND = 100_000;
const RSS_LIMIT_MIB = 1024;
const cli = path.resolve(import.meta.dirname, '../../dist/cli/main.js');

for (const [what, file] of [['target', target], ['built CLI (npm run build)', cli]]) {
  if (!existsSync(file!)) {
    console.log(`bench code: ${what} missing: ${file}`);
    process.exit(2);
  }
}

/** Runs a command under GNU time: wall seconds, CPU seconds, peak RSS in MiB. */
function timed(command: string, args: string[]): { seconds: number; cpu: number; rssMiB: number; status: number | null; stderr: string } {
  const run = spawnSync('/usr/bin/time', ['-f', 'TIMED %e %U %S %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /TIMED (\S+) (\S+) (\S+) (\d+)\s*$/.exec(run.stderr ?? '');
  if (!m) throw new Error(`${command}: ${run.error?.message ?? run.stderr?.trim().split('\n').at(-1) ?? 'no timing'}`);
  return { seconds: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMiB: Number(m[4]) / 1024, status: run.status, stderr: run.stderr };
}

// Other work on the machine slows the wall clock; the CPU-based figure does not depend on it.
console.log(`machine       ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const out = mkdtempSync(path.join(tmpdir(), 'bench-code-'));
try {
  const reportFile = path.join(out, 'report.json');
  const ours = timed(process.execPath, [cli, 'code', target, '--workers', workers, '--format', 'json', '--output', reportFile, '--quiet']);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { stats: Record<string, number>; findings: unknown[] };
  const lines = report.stats['lines']!;
  const linesPerSecond = lines / ours.seconds;
  console.log(`target        ${target} (${report.stats['files']} files, ${lines} lines; ${report.stats['parsedFiles']} files parsed, the rest read and deferred)`);
  console.log(`portcullis    ${ours.seconds.toFixed(2)} s wall, ${ours.cpu.toFixed(2)} s CPU, ${workers} parser threads, ${report.findings.length} findings`);
  console.log(`              ${Math.round(linesPerSecond)} lines/s end to end (target >= ${TARGET_LINES_PER_SECOND}: ${linesPerSecond >= TARGET_LINES_PER_SECOND ? 'met' : 'NOT met'})`);
  console.log(`              ${Math.round((2 * lines) / ours.cpu)} lines/s with 2 cores to itself (lines / CPU seconds x 2)`);
  console.log(`              peak RSS ${ours.rssMiB.toFixed(0)} MiB (limit ${RSS_LIMIT_MIB}: ${ours.rssMiB < RSS_LIMIT_MIB ? 'met' : 'NOT met'})`);

  const bandit = timed('bandit', ['-r', target, '-f', 'json', '-o', path.join(out, 'bandit.json'), '-q']);
  console.log(`bandit -r     ${bandit.seconds.toFixed(2)} s wall, ${bandit.cpu.toFixed(2)} s CPU, peak RSS ${bandit.rssMiB.toFixed(0)} MiB, ${Math.round(lines / bandit.seconds)} lines/s`);
  console.log(`ratio         portcullis is ${(bandit.seconds / ours.seconds).toFixed(1)}x bandit's speed on the same tree (wall clock)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
