import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { traffic, writeLogs, type BenchEvent } from './traffic.js';

/**
 * Watch engine benchmark (`npx tsx bench/watch/run.ts`):
 *  1. throughput on JSON lines with the default rules, end to end (file on disk to alerts: read, split, parse,
 *     six detectors), the median of three runs by the wall clock and per CPU second: as users run it (a large
 *     file is parsed on a second thread), then on one thread, with its CPU time split by stage;
 *  2. peak RSS for 1,000,000 distinct client IPs, at the default key cap and with the cap raised to 1,000,000;
 *  3. side by side with fail2ban-regex on the access-log form of the same events: speed, and whether both
 *     find the same brute-forcing IPs (fail2ban's matches run through maxretry 11 / findtime 300s);
 *  4. throughput on the other formats (access log, Python logging, logfmt, uvicorn) of the same traffic.
 * Each measurement runs in its own process (bench/watch/memory.mjs), so figures do not bleed into each other.
 */
const EVENTS = Number(process.env['WATCH_BENCH_EVENTS'] ?? 1_000_000);
const SIDE_BY_SIDE = Number(process.env['WATCH_BENCH_F2B_EVENTS'] ?? 200_000);
const OTHER_LINES = Number(process.env['WATCH_BENCH_OTHER_LINES'] ?? 500_000);
const OTHER_FORMATS = ['access', 'python', 'logfmt', 'uvicorn'] as const;
const dir = mkdtempSync(path.join(tmpdir(), 'watch-bench-'));
const here = import.meta.dirname;

interface Run {
  events: number;
  seconds: number;
  cpuSeconds: number;
  mainCpuSeconds: number;
  peakRssMiB: number;
  trackedKeys: number;
  evictions: number;
  findings: string[];
}

/** One run of the built engine on `file` in a process of its own (`piped`: `cat file |` into standard input). */
function measure(file: string, maxKeys?: number, threads?: 1, piped = false): Run {
  const args = [path.join(here, 'memory.mjs'), piped ? '-' : file, maxKeys ? String(maxKeys) : '-', ...(threads ? [String(threads)] : [])];
  const command = piped ? ['/bin/sh', ['-c', `cat "$0" | "$@"`, file, process.execPath, ...args]] : [process.execPath, args];
  const result = spawnSync(command[0] as string, command[1] as string[], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`memory.mjs failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Run;
}

/** CPU seconds of the first stages of the pipeline on `file` (bench/watch/stages.ts), in a process of its own. */
function stage(file: string, name: 'split' | 'parse'): number {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'stages.ts'), file, name], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`stages.ts failed: ${result.stderr}`);
  return (JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { cpuSeconds: number }).cpuSeconds;
}

/** IPs that a fail2ban jail with maxretry 11, findtime 300 would ban, from `fail2ban-regex --out row` lines. */
function fail2banBans(rows: string): Set<string> {
  const times = new Map<string, number[]>();
  for (const line of rows.split('\n')) {
    const m = /^\['([^']+)',\s*(\d+)/.exec(line);
    if (!m) continue;
    const list = times.get(m[1]!) ?? [];
    list.push(Number(m[2]));
    times.set(m[1]!, list);
  }
  const banned = new Set<string>();
  for (const [ip, list] of times) {
    list.sort((a, b) => a - b);
    for (let i = 10; i < list.length; i++) if (list[i]! - list[i - 10]! <= 300) banned.add(ip);
  }
  return banned;
}

function* distinctIps(count: number): Generator<BenchEvent> {
  for (let i = 0; i < count; i++) {
    yield { time: Date.UTC(2024, 4, 1) + i, failure: true, ip: `${10 + (i >> 24)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, user: `u${i}` };
  }
}

/** The run of median wall time out of three: a shared machine's odd slow run says nothing about the code. */
function median(run: () => Run): Run {
  return [run(), run(), run()].sort((a, b) => a.seconds - b.seconds)[1]!;
}

/**
 * Nanoseconds per read of a random cache line in a table of `mib` MiB (a pointer chase, so reads cannot
 * overlap): what it costs detection to reach the state of an IP or username that is not in the cache.
 */
function memoryLatencyNs(mib: number): number {
  const lines = Math.floor((mib * 1048576) / 64);
  const next = new Int32Array(lines * 16);
  const order = Array.from({ length: lines }, (_, i) => i);
  for (let i = lines - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let i = 0; i < lines; i++) next[order[i]! * 16] = order[(i + 1) % lines]! * 16;
  const steps = 2_000_000;
  let at = 0;
  const started = performance.now();
  for (let i = 0; i < steps; i++) at = next[at]!;
  const ns = ((performance.now() - started) * 1e6) / steps;
  // Using the end of the chase keeps it from being optimised away.
  return at < 0 ? NaN : ns;
}

const rate = (r: Run) => Math.round(r.events / r.seconds);
const cpuRate = (r: Run) => Math.round(r.events / r.cpuSeconds);
const fmt = (n: number) => n.toLocaleString('en-US');
/** Other work on the machine slows every figure: the load average goes next to each. */
const load = () => `load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;

try {
  const options = { ips: 50_000, users: 20_000, perSecond: 2000, attackers: 20 };
  // 1. Throughput.
  const json = path.join(dir, 'events.jsonl');
  await writeLogs(traffic(EVENTS, options), { json });
  const throughput = median(() => measure(json));
  const single = median(() => measure(json, undefined, 1));
  const piped = median(() => measure(json, undefined, undefined, true));
  // Where one thread's CPU time goes: the same file read, split and decoded only, then also parsed and mapped; the
  // rest of the full run is detection (six rules, the forensic summary, alert bookkeeping).
  const split = stage(json, 'split');
  const parse = stage(json, 'parse');
  const us = (seconds: number) => ((seconds * 1e6) / single.events).toFixed(2);
  console.log(`throughput: ${fmt(throughput.events)} JSON events in ${throughput.seconds.toFixed(2)}s = ${fmt(rate(throughput))} events/s (target 1,000,000), parsing on a second thread; ${fmt(cpuRate(throughput))} per CPU second; peak RSS ${throughput.peakRssMiB.toFixed(0)} MiB, ${throughput.findings.length} alerts (median of 3, ${load()})`);
  console.log(`  CPU per event on two threads: ${us(throughput.mainCpuSeconds)} us on the detecting thread, ${us(throughput.cpuSeconds - throughput.mainCpuSeconds)} us on the others (the parsing thread, mostly); start-up included`);
  console.log(`  the same file piped to standard input (cat file |): ${piped.seconds.toFixed(2)}s = ${fmt(rate(piped))} events/s (median of 3)`);
  console.log(`  on one thread: ${single.seconds.toFixed(2)}s = ${fmt(rate(single))} events/s; ${fmt(cpuRate(single))} per CPU second; peak RSS ${single.peakRssMiB.toFixed(0)} MiB, same alerts: ${String(single.findings.join() === throughput.findings.join())}`);
  console.log(`  one thread's CPU per event: ${us(single.cpuSeconds)} us = read, split and decode lines ${us(split)} + parse and map JSON ${us(parse - split)} + detect ${us(single.cpuSeconds - parse)} (${load()})`);

  console.log(`  memory latency, random reads: ${[0.25, 1, 4, 64].map((mib) => `${mib} MiB ${memoryLatencyNs(mib).toFixed(0)} ns`).join(', ')} (${load()})`);

  // 2. Memory for a million distinct client IPs.
  const ips = path.join(dir, 'ips.jsonl');
  await writeLogs(distinctIps(1_000_000), { json: ips });
  const capped = measure(ips);
  const uncapped = measure(ips, 1_000_000);
  console.log(`1,000,000 distinct IPs, default cap (50,000 client IPs and 50,000 usernames): peak RSS ${capped.peakRssMiB.toFixed(0)} MiB (limit 512), ${fmt(capped.trackedKeys)} keys tracked, ${fmt(capped.evictions)} evicted (${load()})`);
  console.log(`1,000,000 distinct IPs, cap raised to 1,000,000: peak RSS ${uncapped.peakRssMiB.toFixed(0)} MiB, ${fmt(uncapped.trackedKeys)} keys tracked, ${fmt(uncapped.evictions)} evicted (${load()})`);

  // 3. Side by side with fail2ban-regex on the same events.
  const sideJson = path.join(dir, 'side.jsonl');
  const sideAccess = path.join(dir, 'side.access.log');
  await writeLogs(traffic(SIDE_BY_SIDE, options), { json: sideJson, access: sideAccess });
  const filter = path.join(dir, 'portcullis-bench.conf');
  // fail2ban removes the matched date before applying failregex, hence `.*` where the [time] was.
  writeFileSync(filter, '[Definition]\nfailregex = ^<HOST> \\S+ \\S+ .*"[A-Z]+ [^"]*" 40[13] \ndatepattern = %%d/%%b/%%Y:%%H:%%M:%%S %%z\n');
  const ours = measure(sideJson);
  const oursAccess = measure(sideAccess);
  const started = performance.now();
  const f2b = spawnSync('/usr/bin/time', ['-f', '%U %S', 'fail2ban-regex', '--out', 'row', sideAccess, filter], { encoding: 'utf8', maxBuffer: 512 << 20 });
  const f2bSeconds = (performance.now() - started) / 1000;
  // GNU time's last stderr line: user and system CPU seconds of fail2ban-regex.
  const f2bCpu = (f2b.stderr.trim().split('\n').at(-1) ?? '').split(' ').reduce((sum, v) => sum + Number(v), 0);
  if (f2b.status !== 0) throw new Error(`fail2ban-regex failed: ${f2b.stderr}`);
  const banned = fail2banBans(f2b.stdout);
  const ourBrute = (r: Run) => new Set(r.findings.filter((f) => f.startsWith('watch.brute-force ')).map((f) => f.split('client_ip=')[1]!));
  const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
  const f2bRate = SIDE_BY_SIDE / f2bSeconds;
  const f2bCpuRate = SIDE_BY_SIDE / f2bCpu;
  console.log(`side by side on ${fmt(SIDE_BY_SIDE)} events (${load()}); wall clock, then CPU time:`);
  console.log(`  portcullis watch, JSON:        ${ours.seconds.toFixed(2)}s  ${fmt(rate(ours))} events/s; ${ours.cpuSeconds.toFixed(2)}s CPU  ${fmt(cpuRate(ours))}/s; brute force from ${ourBrute(ours).size} IPs`);
  console.log(`  portcullis watch, access log:  ${oursAccess.seconds.toFixed(2)}s  ${fmt(rate(oursAccess))} events/s; ${oursAccess.cpuSeconds.toFixed(2)}s CPU  ${fmt(cpuRate(oursAccess))}/s; brute force from ${ourBrute(oursAccess).size} IPs`);
  console.log(`  fail2ban-regex, access log:    ${f2bSeconds.toFixed(2)}s  ${fmt(Math.round(f2bRate))} lines/s; ${f2bCpu.toFixed(2)}s CPU  ${fmt(Math.round(f2bCpuRate))}/s; would ban ${banned.size} IPs (maxretry 11, findtime 300)`);
  console.log(`  same IPs found: ${same(ourBrute(ours), banned) && same(ourBrute(oursAccess), banned) ? 'yes' : `NO (ours ${[...ourBrute(ours)].sort().join(',')} / fail2ban ${[...banned].sort().join(',')})`}`);
  console.log(`  ratio (portcullis JSON / fail2ban-regex): ${(rate(ours) / f2bRate).toFixed(1)}x wall, ${(cpuRate(ours) / f2bCpuRate).toFixed(1)}x CPU; on the same access log: ${(rate(oursAccess) / f2bRate).toFixed(1)}x wall, ${(cpuRate(oursAccess) / f2bCpuRate).toFixed(1)}x CPU`);
  // 4. The other formats, on two threads as users get them.
  const files = Object.fromEntries(OTHER_FORMATS.map((format) => [format, path.join(dir, `other.${format}.log`)])) as Record<(typeof OTHER_FORMATS)[number], string>;
  const lines = await writeLogs(traffic(OTHER_LINES, options), files);
  console.log(`other formats, ${fmt(lines)} lines each, two threads (median of 3; ${load()}):`);
  for (const format of OTHER_FORMATS) {
    const run = median(() => measure(files[format]));
    console.log(`  ${`${format}:`.padEnd(9)} ${run.seconds.toFixed(2)}s  ${fmt(Math.round(lines / run.seconds))} lines/s (${fmt(run.events)} of them auth events); ${fmt(Math.round(lines / run.cpuSeconds))} per CPU second`);
  }

  const failed = rate(throughput) < 1_000_000 || capped.peakRssMiB >= 512;
  if (failed) console.log('TARGET MISSED: see the figures above');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
