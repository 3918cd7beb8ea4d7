import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

/**
 * `npx tsx bench/code/run.ts [dir] [workers]`: the built `portcullis code` end to end over a large
 * real Python tree (default: Debian's dist-packages) next to `bandit -r` on the same tree, in the
 * same run, twice: by default (files whose text no rule can use are read, not parsed) and with
 * --no-prefilter (every file parsed, every function body analysed), checking both give the same
 * findings. Prints lines/s, CPU time, peak RSS and the speed ratios. A benchmark: no assertions.
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

/** The raw parser alone, for scale: tree-sitter over every file on one thread, in CPU seconds. */
async function parserCeiling(dir: string): Promise<void> {
  const dist = path.resolve(import.meta.dirname, '../../dist/engines/code/python');
  const { pythonParser } = (await import(path.join(dist, 'parser.js'))) as typeof import('../../src/engines/code/python/parser.js');
  const { discoverPython } = (await import(path.join(dist, 'sources.js'))) as typeof import('../../src/engines/code/python/sources.js');
  const parser = await pythonParser();
  const { files } = await discoverPython([dir], dir);
  const start = process.cpuUsage();
  let lines = 0;
  for (const file of files) {
    const text = readFileSync(file.abs, 'utf8');
    lines += text.split('\n').length;
    parser.parse(text)?.delete();
  }
  const used = process.cpuUsage(start);
  const seconds = (used.user + used.system) / 1e6;
  console.log(`tree-sitter   parse alone, every file, one thread: ${seconds.toFixed(2)} s CPU, ${Math.round(lines / seconds)} lines per CPU second`);
}

// Other work on the machine slows the wall clock; the CPU-based figure does not depend on it.
console.log(`machine       ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const out = mkdtempSync(path.join(tmpdir(), 'bench-code-'));
try {
  /** One run of the built CLI; `extra` switches modes. */
  const run = (label: string, extra: string[]): { seconds: number; lines: number; files: number; fingerprints: string[] } => {
    const reportFile = path.join(out, `${label}.json`);
    const load = loadavg()[0]!.toFixed(1);
    const ours = timed(process.execPath, [cli, 'code', target, '--workers', workers, '--format', 'json', '--output', reportFile, '--quiet', ...extra]);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { stats: Record<string, number>; findings: { fingerprint: string }[] };
    const lines = report.stats['lines']!;
    const linesPerSecond = lines / ours.seconds;
    console.log(`portcullis    ${label}: ${report.stats['parsedFiles']} of ${report.stats['files']} files parsed with tree-sitter, ${report.stats['analysedFunctions']} of ${report.stats['functions']} function bodies analysed`);
    console.log(`              ${ours.seconds.toFixed(2)} s wall, ${ours.cpu.toFixed(2)} s CPU, ${workers} parser threads, ${report.findings.length} findings (load average ${load} at start)`);
    console.log(`              ${Math.round(linesPerSecond)} lines/s end to end (target >= ${TARGET_LINES_PER_SECOND}: ${linesPerSecond >= TARGET_LINES_PER_SECOND ? 'met' : 'NOT met'})`);
    console.log(`              ${Math.round((2 * lines) / ours.cpu)} lines/s with 2 cores to itself (lines / CPU seconds x 2, an upper bound)`);
    console.log(`              peak RSS ${ours.rssMiB.toFixed(0)} MiB (limit ${RSS_LIMIT_MIB}: ${ours.rssMiB < RSS_LIMIT_MIB ? 'met' : 'NOT met'})`);
    return { seconds: ours.seconds, lines, files: report.stats['files']!, fingerprints: report.findings.map((f) => f.fingerprint).sort() };
  };
  const fast = run('default', []);
  console.log(`target        ${target} (${fast.files} files, ${fast.lines} lines)`);
  // The default reads every file but parses only those whose text a rule or the project index can use
  // (and what they import); --no-prefilter parses every file and analyses every function body.
  const full = run('--no-prefilter', ['--no-prefilter']);
  const same = fast.fingerprints.join() === full.fingerprints.join();
  console.log(`prefilter     findings ${same ? 'identical' : 'DIFFER'} with and without it (${fast.fingerprints.length} vs ${full.fingerprints.length})`);
  const lines = fast.lines;
  await parserCeiling(target);

  const bandit = timed('bandit', ['-r', target, '-f', 'json', '-o', path.join(out, 'bandit.json'), '-q']);
  console.log(`bandit -r     ${bandit.seconds.toFixed(2)} s wall, ${bandit.cpu.toFixed(2)} s CPU, peak RSS ${bandit.rssMiB.toFixed(0)} MiB, ${Math.round(lines / bandit.seconds)} lines/s`);
  console.log(`ratio         portcullis is ${(bandit.seconds / fast.seconds).toFixed(1)}x bandit's speed by default, ${(bandit.seconds / full.seconds).toFixed(1)}x with --no-prefilter (wall clock)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
